"""Guests to pack onto hosts; hidden ones are drawn per learner.

Kinds: "fixture" (the tight example: bin 100, 51×6, 27×6, 26×6, 23×12, where FFD lights 11
hosts and 9 suffice), "memory-bound" (memory fills first), "vcpu-bound" (vCPUs run out before
memory: a guest skips a host with room in memory), "ties" (guests of equal memory, ordered by
vCPUs then name) and "many" (a few hundred guests).
"""

FIXTURE = [51] * 6 + [27] * 6 + [26] * 6 + [23] * 12


def _hosts(n, cores, pages):
    return [{"name": f"h{i}", "cores": cores, "pages": pages} for i in range(n)]


def _case(vms, hosts, kinds, en, zh):
    return {
        "args": {"vms": vms, "hosts": hosts},
        "kinds": kinds,
        "title": {"en": en, "zh": zh},
    }


def _fixture(shuffle=None):
    sizes = list(FIXTURE)
    if shuffle is not None:
        shuffle(sizes)
    vms = [{"name": f"v{i:02d}", "vcpus": 1, "pages": s} for i, s in enumerate(sizes)]
    return _case(
        vms,
        _hosts(12, 8, 100),
        ["fixture"],
        "the tight fixture: 51×6, 27×6, 26×6, 23×12 on hosts of 100 pages",
        "紧例：51×6、27×6、26×6、23×12，宿主机每台 100 页",
    )


def _random(rng, n, hosts, cores, pages, vcpus, sizes, kinds, name):
    vms = [
        {
            "name": f"{name}{i:03d}",
            "vcpus": rng.choice(vcpus),
            "pages": rng.choice(sizes),
        }
        for i in range(n)
    ]
    return _case(
        vms,
        _hosts(hosts, cores, pages),
        kinds,
        f"{n} guests on hosts of {cores} cores and {pages} pages",
        f"{n} 台客户机，宿主机每台 {cores} 个核心、{pages} 页",
    )


class _Fixed:
    """A tiny deterministic chooser for the fixed practice cases."""

    def __init__(self, seed):
        self.state = seed

    def choice(self, items):
        self.state = (self.state * 1103515245 + 12345) % 2**31
        return items[self.state % len(items)]


PRACTICE = [
    # Last, e (5 pages) fits on h0 (30 free) and exactly on h1 (5): First Fit puts it on h0,
    # Best Fit on h1.
    _case(
        [
            {"name": "a", "vcpus": 1, "pages": 10},
            {"name": "b", "vcpus": 2, "pages": 60},
            {"name": "c", "vcpus": 1, "pages": 45},
            {"name": "d", "vcpus": 1, "pages": 50},
            {"name": "e", "vcpus": 1, "pages": 5},
        ],
        _hosts(4, 4, 100),
        ["memory-bound"],
        "five guests on hosts of 100 pages",
        "五台客户机，宿主机每台 100 页",
    ),
    _case(
        [
            {"name": "w1", "vcpus": 4, "pages": 20},
            {"name": "w2", "vcpus": 4, "pages": 20},
            {"name": "w3", "vcpus": 2, "pages": 10},
            {"name": "w4", "vcpus": 2, "pages": 20},
            {"name": "w5", "vcpus": 1, "pages": 10},
        ],
        _hosts(4, 6, 100),
        ["vcpu-bound", "ties"],
        "vCPUs run out first: hosts of 6 cores",
        "vCPU 先用完：宿主机每台 6 个核心",
    ),
    _fixture(),
    _random(
        _Fixed(7),
        200,
        120,
        16,
        256,
        (1, 2, 4),
        (16, 32, 48, 64, 96, 128),
        ["many", "ties"],
        "vm",
    ),
]


def _packing(args, best):
    free = {h["name"]: [h["cores"], h["pages"]] for h in args["hosts"]}
    where = {}
    for vm in sorted(args["vms"], key=lambda v: (-v["pages"], -v["vcpus"], v["name"])):
        fits = [
            h["name"]
            for h in args["hosts"]
            if vm["vcpus"] <= free[h["name"]][0] and vm["pages"] <= free[h["name"]][1]
        ]
        if not fits:
            return None
        host = min(fits, key=lambda n: free[n][1]) if best else fits[0]
        free[host][0] -= vm["vcpus"]
        free[host][1] -= vm["pages"]
        where[vm["name"]] = host
    return where


def _best_fit_differs(args):
    return _packing(args, best=False) != _packing(args, best=True)


def hidden(rng):
    cases = [_fixture(rng.shuffle)]
    for _ in range(200):
        # A packing where Best Fit would choose differently, so only First Fit's rule passes.
        case = _random(
            rng,
            rng.randint(8, 12),
            12,
            64,
            100,
            (1, 2),
            range(10, 71),
            ["memory-bound"],
            "g",
        )
        if _best_fit_differs(case["args"]):
            break
    cases.append(case)
    cases.append(
        _random(
            rng,
            rng.randint(8, 12),
            12,
            4,
            1000,
            (1, 2, 3, 4),
            (50, 100, 150),
            ["vcpu-bound", "ties"],
            "c",
        )
    )
    cases.append(
        _random(
            rng,
            rng.randint(150, 300),
            160,
            16,
            256,
            (1, 2, 4),
            (16, 32, 64, 128),
            ["many", "ties"],
            "vm",
        )
    )
    return cases
