"""Pools of two to four hosts and guests to place so that any one host may fail.

Every case is checked here to be solvable (the reference's plan survives every single failure)
and to defeat the obvious plan, packing the guests First Fit, so the design matters. Kinds: the
number of hosts, and whether they are all the same size.
"""

import runpy
from pathlib import Path

_SOLUTION = runpy.run_path(str(Path(__file__).with_name("solution.py")))
_REFERENCE = _SOLUTION["plan"]
_RESTARTS = _SOLUTION["_restarts"]  # plain Python, the same rule as ResourcePool.fail_host


def _survives(hosts, guests, placement):
    return all(_RESTARTS(hosts, guests, placement, h["name"]) for h in hosts)


def _packed(hosts, guests):
    """Every guest First Fit, one after the other: what a placer does without a plan."""
    free = {h["name"]: [h["cores"], h["pages"]] for h in hosts}
    placement = {}
    for g in guests:
        host = next(
            (n for n in free if free[n][0] >= g["vcpus"] and free[n][1] >= g["pages"]), None
        )
        if host is None:
            return None
        free[host][0] -= g["vcpus"]
        free[host][1] -= g["pages"]
        placement[g["name"]] = host
    return placement


def _good(hosts, guests):
    """Solvable by the reference, and packing First Fit is not enough."""
    packed = _packed(hosts, guests)
    reference = _REFERENCE(hosts, guests)
    if packed is None or len(reference) != len(guests):
        return False
    return _survives(hosts, guests, reference) and not _survives(hosts, guests, packed)


NUMBERS = {3: "three hosts", 4: "four hosts"}
COUNTS = {3: ("three", "三"), 4: ("four", "四")}


def _title(hosts, guests, equal):
    """What the report calls a hidden case, in both languages."""
    en, zh = COUNTS[len(hosts)]
    if equal:
        return {
            "en": f"{en} equal hosts, {len(guests)} guests",
            "zh": f"{zh}台相同的宿主机，{len(guests)} 台客户机",
        }
    return {
        "en": f"{en} hosts of different sizes, {len(guests)} guests",
        "zh": f"{zh}台规格不同的宿主机，{len(guests)} 台客户机",
    }


def _case(hosts, guests, title=None):
    sizes = {(h["cores"], h["pages"]) for h in hosts}
    equal = len(sizes) == 1
    kinds = [NUMBERS[len(hosts)], "equal hosts" if equal else "unequal hosts"]
    title = title or _title(hosts, guests, equal)
    return {"args": {"hosts": hosts, "guests": guests}, "kinds": kinds, "title": title}


def _host(i, cores, pages):
    return {"name": f"h{i}", "cores": cores, "pages": pages}


def _vm(name, vcpus, pages):
    return {"name": name, "vcpus": vcpus, "pages": pages}


PRACTICE = [
    _case(
        [_host(i, 8, 64) for i in (1, 2, 3)],
        [
            _vm("web", 2, 16),
            _vm("db", 2, 16),
            _vm("cache", 2, 16),
            _vm("app", 1, 32),
            _vm("mail", 1, 48),
        ],
        {"en": "three equal hosts, five guests", "zh": "三台相同的宿主机，五台客户机"},
    ),
    _case(
        [_host(1, 4, 64), _host(2, 8, 128), _host(3, 8, 64)],
        [
            _vm("web", 2, 16),
            _vm("db", 1, 16),
            _vm("cache", 2, 48),
            _vm("app", 2, 16),
            _vm("mail", 2, 16),
        ],
        {"en": "three hosts of different sizes", "zh": "三台规格不同的宿主机"},
    ),
    _case(
        [_host(1, 8, 64), _host(2, 4, 64), _host(3, 8, 128), _host(4, 4, 128)],
        [
            _vm("web", 3, 32),
            _vm("db", 2, 32),
            _vm("cache", 3, 48),
            _vm("app", 1, 32),
            _vm("mail", 2, 16),
            _vm("ci", 2, 16),
        ],
        {"en": "four hosts, six guests", "zh": "四台宿主机，六台客户机"},
    ),
]

assert all(_good(c["args"]["hosts"], c["args"]["guests"]) for c in PRACTICE)


def hidden(rng):
    cases = []
    shapes = [(3, True), (3, False), (4, True), (4, False), (3, True)]
    for n, equal in shapes:
        while True:
            if equal:
                size = (rng.choice((4, 8)), rng.choice((64, 96, 128)))
                hosts = [_host(i + 1, *size) for i in range(n)]
            else:
                hosts = [
                    _host(i + 1, rng.choice((4, 8)), rng.choice((64, 96, 128))) for i in range(n)
                ]
                if len({(h["cores"], h["pages"]) for h in hosts}) == 1:
                    continue
            guests = [
                _vm(f"vm{j}", rng.randint(1, 3), rng.choice((8, 16, 24, 32, 40)))
                for j in range(rng.randint(n, 2 * n + 1))
            ]
            if _good(hosts, guests):
                cases.append(_case(hosts, guests))
                break
    return cases
