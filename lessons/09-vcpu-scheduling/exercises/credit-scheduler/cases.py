"""Hosts whose credit scheduler runs on the learner's account() and pick().

Kinds: "weights" (one-vCPU domains of different weights), "per-vcpu" (a domain with several
vCPUs: its weight counts once per active vCPU), "cap" (a capped domain on a host with idle
pCPUs), "leftover" (a capped or saturated domain's unused credit goes to the others), "boost"
(an I/O-bound domain that sleeps, so it is inactive at some accountings and wakes BOOSTed),
"remainder" (a domain's part does not divide evenly among its vCPUs: the first ones get one
credit more) and "pcpus" (more than one pCPU).
"""


def _dom(name, vcpus=1, weight=256, cap=0, burst_ms=None, sleep_ms=0):
    domain = {"name": name, "vcpus": vcpus, "weight": weight, "cap": cap}
    if burst_ms is not None:
        domain.update(burst_ms=burst_ms, sleep_ms=sleep_ms)
    return domain


def _case(pcpus, domains, kinds, en, zh):
    if pcpus > 1 and "pcpus" not in kinds:
        kinds = [*kinds, "pcpus"]
    return {
        "name": en,
        "title": {"en": en, "zh": zh},
        "args": {"pcpus": pcpus, "domains": domains},
        "kinds": kinds,
    }


PRACTICE = [
    _case(
        1,
        [_dom("web", weight=512), _dom("db")],
        ["weights"],
        "one pCPU: web 512, db 256",
        "一个物理 CPU：web 512，db 256",
    ),
    _case(
        1,
        [_dom("smp", vcpus=2), _dom("up")],
        ["per-vcpu"],
        "one pCPU: 2 vCPUs against 1, both 256",
        "一个物理 CPU：2 个 vCPU 对 1 个，权重都是 256",
    ),
    _case(
        2,
        [_dom("batch", vcpus=2, cap=50)],
        ["cap", "per-vcpu"],
        "idle host: 2 vCPUs capped at 50",
        "空闲宿主机：2 个 vCPU，上限 50",
    ),
    _case(
        1,
        [_dom("batch", cap=25), _dom("web")],
        ["leftover", "cap"],
        "one pCPU: batch capped at 25, web takes the rest",
        "一个物理 CPU：batch 上限 25，其余归 web",
    ),
    _case(
        1,
        [_dom("io", burst_ms=10, sleep_ms=60), _dom("web"), _dom("db")],
        ["boost"],
        "one pCPU: an I/O-bound guest beside two busy ones",
        "一个物理 CPU：一个以 I/O 为主的客户机和两个一直忙碌的客户机",
    ),
    # smp's part is 300 × 512 // 812 = 189: 95 for smp.0, 94 for smp.1.
    _case(
        1,
        [_dom("smp", vcpus=2), _dom("up", weight=300)],
        ["remainder", "per-vcpu"],
        "one pCPU: 2 vCPUs of 256 against 1 of 300",
        "一个物理 CPU：2 个权重 256 的 vCPU 对 1 个权重 300 的",
    ),
    # b and c share a's leftover 256 : 100, which does not divide evenly: 215 and 84, not 216.
    _case(
        2,
        [_dom("a", weight=512), _dom("b"), _dom("c", weight=100)],
        ["leftover", "weights"],
        "two pCPUs: a 512 can use only one pCPU; b 256, c 100",
        "两个物理 CPU：a 512 最多只能用一个物理 CPU；b 256，c 100",
    ),
]


def hidden(rng):
    cases = []
    w1, w2 = rng.choice([(700, 256), (500, 300), (256, 100), (1000, 256)])
    cases.append(
        _case(
            1,
            [_dom("web", weight=w1), _dom("db", weight=w2)],
            ["weights"],
            "two weights",
            "两个权重",
        )
    )
    n = rng.choice([2, 3])
    cases.append(
        _case(
            1,
            [_dom("smp", vcpus=n, weight=rng.choice([128, 256])), _dom("up", weight=256)],
            ["per-vcpu"],
            "several vCPUs against one",
            "多个 vCPU 对一个",
        )
    )
    # smp's part, 300 × n × weight // (n × weight + up's weight), leaves a remainder.
    n, weight = rng.choice([2, 3]), rng.choice([128, 256])
    up = [
        w for w in (100, 150, 200, 250, 300, 400, 500) if 300 * n * weight // (n * weight + w) % n
    ]
    cases.append(
        _case(
            1,
            [_dom("smp", vcpus=n, weight=weight), _dom("up", weight=rng.choice(up))],
            ["remainder", "per-vcpu"],
            "a part that does not split evenly",
            "不能平分的份额",
        )
    )
    cap = rng.choice([30, 50, 70])
    cases.append(
        _case(
            rng.choice([2, 4]),
            [_dom("batch", cap=cap)],
            ["cap"],
            "idle host, one cap",
            "空闲宿主机，一个上限",
        )
    )
    cases.append(
        _case(
            2,
            [_dom("db", vcpus=2, cap=rng.choice([60, 80, 100])), _dom("web")],
            ["cap", "per-vcpu"],
            "a capped 2-vCPU domain",
            "有上限的 2 个 vCPU 的域",
        )
    )
    cases.append(
        _case(
            1,
            [
                _dom("batch", cap=rng.choice([20, 25, 40])),
                _dom("web", weight=rng.choice([256, 512])),
            ],
            ["leftover", "cap"],
            "a capped domain's leftover",
            "有上限的域剩下的信用值",
        )
    )
    cases.append(
        _case(
            2,
            [
                _dom("a", weight=rng.choice([512, 768])),
                _dom("b"),
                _dom("c", weight=rng.choice([128, 256])),
            ],
            ["leftover", "weights"],
            "one domain saturates a pCPU",
            "一个域占满一个物理 CPU",
        )
    )
    cases.append(
        _case(
            1,
            [
                _dom("io", burst_ms=rng.choice([10, 20]), sleep_ms=rng.choice([60, 70, 90])),
                _dom("web", weight=rng.choice([256, 512])),
                _dom("db"),
            ],
            ["boost"],
            "an I/O-bound guest",
            "以 I/O 为主的客户机",
        )
    )
    cases.append(
        _case(
            2,
            [
                _dom("io", burst_ms=10, sleep_ms=rng.choice([60, 80])),
                _dom("smp", vcpus=2, weight=rng.choice([128, 256])),
                _dom("up", cap=rng.choice([0, 60])),
            ],
            ["boost", "per-vcpu"],
            "a mixed host",
            "混合负载的宿主机",
        )
    )
    return cases
