"""Workloads to migrate, at a fixed link rate; hidden ones are drawn per learner.

Kinds: the rules ("xen-v2", "xen-4.5") and how the migration ends: "converges" (a round under
50 pages), "5 rounds" (v2 gives up), "29 rounds" (a large guest under the legacy rules),
"3x memory" (the legacy rules give up) and "dirty capped" (the guest dirties faster than the
link sends, so V_i outgrows memory and the model departs from the formula).
"""

from tutor.sim import ConstantDirtyRate, precopy


def _case(memory, dirty, bandwidth, rules):
    args = {
        "memory_mb": float(memory),
        "dirty_mbps": float(dirty),
        "bandwidth_mbps": float(bandwidth),
        "rules": rules,
    }
    result = precopy(
        memory, ConstantDirtyRate(memory, dirty), bandwidth_mbps=bandwidth, rules=rules
    )
    ends = {
        "converged": "converges",
        "max_sent": "3x memory",
        "clean": "converges",
        "max_rounds": "5 rounds" if rules == "xen-v2" else "29 rounds",
    }[result.stop_reason]
    kinds = [rules, ends]
    if dirty > bandwidth:
        kinds.append("dirty capped")
    title = f"{memory:g} MB, dirtied at {dirty:g} Mb/s over {bandwidth:g} Mb/s, {rules}"
    zh = f"{memory:g} MB，写脏速度 {dirty:g} Mb/s，链路 {bandwidth:g} Mb/s，{rules}"
    return {"args": args, "kinds": kinds, "title": {"en": title, "zh": zh}}


PRACTICE = [
    _case(1024, 100, 1000, "xen-v2"),
    _case(1024, 600, 1000, "xen-v2"),
    _case(1024, 300, 1000, "xen-4.5"),
    _case(512, 1200, 1000, "xen-4.5"),
    _case(65536, 660, 1000, "xen-4.5"),
]


def hidden(rng):
    cases = []
    bandwidth = rng.choice((1000, 2500, 10000))
    memory = rng.choice((512, 1024, 2048, 4096))
    # v2, converges: the ratio is small enough for round 4 to fall under 50 pages.
    cases.append(_case(memory, round(bandwidth * rng.uniform(0.02, 0.08)), bandwidth, "xen-v2"))
    # v2, gives up after 5 rounds.
    cases.append(_case(memory, round(bandwidth * rng.uniform(0.4, 0.9)), bandwidth, "xen-v2"))
    # legacy, converges after more than 5 rounds.
    cases.append(_case(memory, round(bandwidth * rng.uniform(0.25, 0.4)), bandwidth, "xen-4.5"))
    # legacy, dirtying faster than the link: 3x memory, and the formula departs.
    cases.append(_case(memory, round(bandwidth * rng.uniform(1.1, 2.0)), bandwidth, "xen-4.5"))
    # legacy, a large guest just slow enough to reach the 29-round limit.
    big = rng.choice((65536, 131072))
    cases.append(_case(big, round(1000 * rng.uniform(0.64, 0.66), 1), 1000, "xen-4.5"))
    return cases
