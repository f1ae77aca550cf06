"""Pools with overloaded hosts to relieve; hidden ones are drawn per learner.

Kinds: how many hosts start above the threshold ("one hot host", "two hot hosts") and how many
live migrations the model's rule needs ("one move", "several moves": the smallest guest alone
does not bring the host under). Every case can be relieved: the model's own relieve() clears
it, which the generator checks.
"""

from tutor.sim import Host, ResourcePool, VmSpec


def _g(name, vcpus, pages, load):
    return {"name": name, "vcpus": vcpus, "pages": pages, "load": load}


def _model(hosts, threshold):
    pool = ResourcePool([Host(h["name"], h["cores"], h["pages"]) for h in hosts])
    for h in hosts:
        for g in h["guests"]:
            spec = VmSpec(g["name"], g["vcpus"], g["pages"], load=g["load"])
            pool.place(spec, lambda vm, views, name=h["name"]: name)
    hot = pool.overloaded(threshold)
    moves = pool.relieve(threshold)
    return hot, moves, pool.overloaded(threshold)


def _case(hosts, threshold):
    hot, moves, left = _model(hosts, threshold)
    if not hot or left:
        return None
    kinds = [
        "one hot host" if len(hot) == 1 else "two hot hosts",
        "one move" if len(moves) == 1 else "several moves",
    ]
    guests = sum(len(h["guests"]) for h in hosts)
    return {
        "args": {"hosts": hosts, "threshold": threshold},
        "kinds": kinds,
        "title": {
            "en": f"{len(hosts)} hosts, {guests} guests, threshold {round(threshold * 100)} %",
            "zh": f"{len(hosts)} 台宿主机，{guests} 台客户机，阈值 {round(threshold * 100)} %",
        },
    }


def _host(name, cores, guests):
    return {"name": name, "cores": cores, "pages": 100, "guests": guests}


PRACTICE = [
    _case(
        [
            _host(
                "h0",
                4,
                [_g("db", 2, 40, 1.0), _g("web", 1, 20, 1.0), _g("cache", 1, 10, 0.05)],
            ),
            _host("h1", 4, [_g("batch", 2, 30, 0.5), _g("mail", 1, 15, 0.4)]),
            _host("h2", 4, []),
        ],
        0.7,
    ),
    _case(
        [
            _host(
                "h0",
                4,
                [_g("api", 2, 50, 0.9), _g("queue", 1, 10, 0.9), _g("log", 1, 30, 0.9)],
            ),
            _host("h1", 4, [_g("ci", 1, 40, 0.5)]),
        ],
        0.75,
    ),
    _case(
        [
            _host("h0", 4, [_g("a", 2, 30, 1.0), _g("b", 2, 20, 0.8)]),
            _host("h1", 4, [_g("c", 2, 40, 1.0), _g("d", 1, 10, 1.0), _g("e", 1, 25, 0.6)]),
            _host("h2", 8, [_g("f", 1, 20, 0.3)]),
            _host("h3", 8, []),
        ],
        0.8,
    ),
    # The first host with room for web, h0 (60 %), is under the threshold only without it:
    # with web it would be at 85 %, so web must go on to h2.
    _case(
        [
            _host("h0", 4, [_g("build", 3, 30, 0.8)]),
            _host("h1", 4, [_g("db", 3, 40, 1.0), _g("web", 1, 10, 1.0)]),
            _host("h2", 8, []),
        ],
        0.75,
    ),
]
PRACTICE = [case for case in PRACTICE if case is not None]


def _random(rng, hot_hosts):
    hosts = []
    n = rng.randint(3, 5)
    count = 0
    for i in range(n):
        cores = rng.choice((4, 8))
        guests = []
        share = rng.uniform(0.8, 1.0) if i < hot_hosts else rng.uniform(0.0, 0.4)
        target = cores * share
        busy = 0.0
        pages = 0
        vcpus = 0
        while busy < target and vcpus < cores:
            v = rng.randint(1, min(2, cores - vcpus))
            load = round(rng.uniform(0.2, 1.0), 2)
            size = rng.randint(5, 40)
            if pages + size > 100:
                break
            guests.append(_g(f"g{count}", v, size, load))
            count += 1
            busy += v * load
            pages += size
            vcpus += v
        hosts.append(_host(f"h{i}", cores, guests))
    return _case(hosts, rng.choice((0.6, 0.7, 0.75)))


def _crowded_neighbour(rng):
    """The first host with room is just under the threshold: a guest moved there pushes it over,
    so the target's load after the move must be checked."""
    threshold = rng.choice((0.75, 0.8))
    load = round((threshold - 0.1) * 4 / 3, 2)
    return _case(
        [
            _host("h0", 4, [_g("x", 3, rng.randint(20, 40), load)]),
            _host(
                "h1",
                4,
                [
                    _g("y", 3, rng.randint(30, 50), 1.0),
                    _g("z", 1, rng.randint(5, 20), 1.0),
                ],
            ),
            _host("h2", 8, []),
        ],
        threshold,
    )


def hidden(rng):
    wanted = [
        ("one hot host", "one move"),
        ("one hot host", "several moves"),
        ("two hot hosts", "several moves"),
    ]
    cases = []
    for kinds in wanted:
        for _ in range(500):
            case = _random(rng, 1 if kinds[0] == "one hot host" else 2)
            if case is not None and tuple(case["kinds"]) == kinds:
                cases.append(case)
                break
    cases.append(_crowded_neighbour(rng))
    return cases
