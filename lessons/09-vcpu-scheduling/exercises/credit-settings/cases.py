"""Hosts and the CPU each customer bought. Kinds: "weights" (a busy host, one vCPU each),
"vcpus" (a busy host where a domain has several vCPUs: a weight counts once per vCPU) and
"cap" (an idle host: only a cap holds a domain to its target)."""


def _d(name, vcpus, target):
    return {"name": name, "vcpus": vcpus, "target": round(target, 3)}


def _case(pcpus, domains, kind, en, zh):
    return {
        "name": en,
        "title": {"en": en, "zh": zh},
        "args": {"pcpus": pcpus, "domains": domains},
        "kinds": [kind],
    }


PRACTICE = [
    _case(
        1,
        [_d("web", 1, 2 / 3), _d("db", 1, 1 / 3)],
        "weights",
        "one pCPU: web twice db",
        "一个物理 CPU：web 是 db 的两倍",
    ),
    _case(
        1,
        [_d("smp", 2, 0.5), _d("up", 1, 0.5)],
        "vcpus",
        "one pCPU: 2 vCPUs and 1 vCPU, equal halves",
        "一个物理 CPU：2 个 vCPU 与 1 个 vCPU 各占一半",
    ),
    _case(
        4,
        [_d("batch", 1, 0.5)],
        "cap",
        "idle host: batch gets half a pCPU",
        "空闲宿主机：batch 得到半个物理 CPU",
    ),
    _case(
        4,
        [_d("db", 2, 1.5), _d("web", 1, 1.0)],
        "cap",
        "idle host: db gets 1.5 pCPUs",
        "空闲宿主机：db 得到 1.5 个物理 CPU",
    ),
]


def hidden(rng):
    cases = []
    a, b = rng.choice([(3, 1), (2, 1), (1, 1), (3, 2)])
    cases.append(
        _case(
            1,
            [_d("web", 1, a / (a + b)), _d("db", 1, b / (a + b))],
            "weights",
            "two weights",
            "两个权重",
        )
    )
    cases.append(
        _case(
            2,
            [_d("a", 1, 1.0), _d("b", 1, 0.5), _d("c", 1, 0.5)],
            "weights",
            "two pCPUs",
            "两个物理 CPU",
        )
    )
    n = rng.choice([2, 3])
    share = rng.choice([0.4, 0.5, 0.6])
    cases.append(
        _case(
            1, [_d("smp", n, share), _d("up", 1, 1 - share)], "vcpus", "several vCPUs", "多个 vCPU"
        )
    )
    cases.append(
        _case(
            2,
            [_d("big", 2, 1.2), _d("small", 1, 0.8)],
            "vcpus",
            "two pCPUs, 2 vCPUs",
            "两个物理 CPU，2 个 vCPU",
        )
    )
    cap = rng.choice([0.25, 0.3, 0.5, 0.75])
    cases.append(
        _case(4, [_d("batch", 1, cap)], "cap", "idle host, one cap", "空闲宿主机，一个上限")
    )
    cases.append(
        _case(
            4,
            [_d("db", 2, rng.choice([1.25, 1.5])), _d("web", 1, 1.0)],
            "cap",
            "idle host, a 2-vCPU cap",
            "空闲宿主机，2 个 vCPU 的上限",
        )
    )
    return cases
