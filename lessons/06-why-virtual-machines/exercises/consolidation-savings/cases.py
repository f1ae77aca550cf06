"""Fleets to consolidate; hidden ones are drawn per learner.

Kinds: "half idle" (P_idle = 0.5 * P_max, Barroso & Hoelzle 2007) or "measured idle" (another
ratio), "whole VMs" where splitting loads across hosts would give fewer hosts than the model,
and "cooling" where the PUE is above 1. Utilisation stays in the 12-18 % NRDC (2014) range or
close to it; power figures are teaching values (approx.).
"""

import math


def _fleet(servers, u, target, p_max=200.0, idle_ratio=0.5, pue=1.0, cores=16, hours=8760):
    args = {
        "servers": servers,
        "utilisation_pct": u,
        "cores": cores,
        "p_max": float(p_max),
        "p_idle": round(p_max * idle_ratio, 1),
        "target_pct": target,
        "hours": hours,
        "pue": pue,
    }
    kinds = ["half idle" if idle_ratio == 0.5 else "measured idle"]
    if math.ceil(servers / (target // u)) != math.ceil(servers * u / target):
        kinds.append("whole VMs")
    if pue != 1.0:
        kinds.append("cooling")
    title = f"{servers} servers at {u} %, target {target} %"
    zh = f"{servers} 台服务器，利用率 {u} %，目标 {target} %"
    if idle_ratio != 0.5:
        title += f", P_idle {args['p_idle']} W of {p_max} W"
        zh += f"，P_idle 为 {args['p_idle']} W（P_max {p_max} W）"
    if pue != 1.0:
        title += f", PUE {pue}"
        zh += f"，PUE {pue}"
    return {"args": args, "kinds": kinds, "title": {"en": title, "zh": zh}}


PRACTICE = [
    _fleet(10, 15, 75),
    _fleet(9, 15, 70),
    _fleet(8, 12, 70, p_max=300, idle_ratio=0.6),
    _fleet(12, 18, 72, p_max=250, pue=1.5),
]


def hidden(rng):
    cases = []
    for i in range(6):
        while True:
            u = rng.randint(10, 20)
            target = rng.choice((60, 65, 70, 75, 80))
            servers = rng.randint(6, 16)
            ratio = 0.5 if i % 2 == 0 else rng.choice((0.4, 0.55, 0.6, 0.65, 0.7))
            pue = 1.0 if i < 3 else rng.choice((1.2, 1.4, 1.5, 1.6, 1.8))
            case = _fleet(
                servers,
                u,
                target,
                p_max=rng.choice((180, 200, 250, 300, 400)),
                idle_ratio=ratio,
                pue=pue,
                hours=rng.choice((8760, 720, 24)),
            )
            # Half of the cases must catch a learner who splits a VM's load across hosts.
            if (i % 2 == 1) == ("whole VMs" in case["kinds"]):
                cases.append(case)
                break
    return cases
