"""Guests placed in turn into pools of hosts of different sizes.

Kinds: "exact fit" (a guest exactly fills a host's free memory or vCPUs), "skip" (the first host
lacks room, so a later one is chosen), "cpu bound" (a host has the memory but not the vCPUs),
"off first" (First Fit powers on an empty host that comes first although a later powered-on host
has room: a policy that prefers running hosts differs there). Hidden cases shuffle the sizes per
learner, so a table of answers does not pass.
"""

from tutor.sim import Host, ResourcePool, VmSpec


def _kinds(hosts, guests):
    pool = ResourcePool(Host(h["name"], cores=h["cores"], memory_pages=h["pages"]) for h in hosts)
    kinds = set()
    for g in guests:
        vm = VmSpec(g["name"], g["vcpus"], g["pages"])
        views = pool.views()
        chosen = pool.place(vm)
        index = [v.name for v in views].index(chosen)
        if index > 0:
            kinds.add("skip")
        if any(v.free_pages >= vm.memory_pages and v.free_vcpus < vm.vcpus for v in views[:index]):
            kinds.add("cpu bound")
        view = views[index]
        if view.free_pages == vm.memory_pages or view.free_vcpus == vm.vcpus:
            kinds.add("exact fit")
        roomy = [v for v in views[index + 1 :] if v.powered_on]
        if not view.powered_on and any(
            v.free_pages >= vm.memory_pages and v.free_vcpus >= vm.vcpus for v in roomy
        ):
            kinds.add("off first")
    return sorted(kinds)


def _title(hosts, guests):
    """What the report calls a hidden case: the pool and the guests placed in turn, never the
    kinds (they say what First Fit does there, which is the learner's to work out)."""
    n, m = len(hosts), len(guests)
    return {"en": f"{n} hosts, {m} guests in turn", "zh": f"{n} 台宿主机，依次放入 {m} 台客户机"}


def _case(hosts, guests, title=None):
    title = title or _title(hosts, guests)
    return {
        "args": {"hosts": hosts, "guests": guests},
        "kinds": _kinds(hosts, guests),
        "title": title,
    }


def _host(i, cores, pages):
    return {"name": f"h{i}", "cores": cores, "pages": pages}


def _vm(name, vcpus, pages):
    return {"name": name, "vcpus": vcpus, "pages": pages}


PRACTICE = [
    _case(
        [_host(1, 4, 64), _host(2, 8, 128), _host(3, 4, 64)],
        [_vm("web", 2, 48), _vm("db", 2, 32), _vm("cache", 1, 16)],
        {"en": "web, db, cache: predict first", "zh": "web、db、cache：先预测"},
    ),
    _case(
        [_host(1, 4, 64), _host(2, 4, 64)],
        [_vm("a", 3, 16), _vm("b", 2, 16), _vm("c", 1, 48)],
        {"en": "a host with memory but too few vCPUs", "zh": "内存够但 vCPU 不够的宿主机"},
    ),
    _case(
        [_host(1, 4, 64), _host(2, 4, 64), _host(3, 4, 64)],
        [_vm("a", 2, 40), _vm("b", 2, 40), _vm("c", 2, 24), _vm("d", 2, 24), _vm("e", 2, 40)],
        {"en": "exact fits and skips", "zh": "恰好放满与跳过"},
    ),
    _case(
        [_host(1, 4, 32), _host(2, 8, 128)],
        [_vm("big", 2, 64), _vm("small", 1, 16)],
        {"en": "an empty host first", "zh": "排在前面的空宿主机"},
    ),
]


def hidden(rng):
    cases, off_first = [], None  # five cases, and one where an empty host comes first
    while len(cases) < 5 or off_first is None:
        n = rng.randint(3, 5)
        hosts = [_host(i + 1, rng.choice((4, 8)), rng.choice((32, 64, 96, 128))) for i in range(n)]
        pool = ResourcePool(
            Host(h["name"], cores=h["cores"], memory_pages=h["pages"]) for h in hosts
        )
        guests = []
        for j in range(rng.randint(5, 9)):
            vm = _vm(f"vm{j}", rng.randint(1, 4), rng.choice((8, 16, 24, 32, 40, 48, 64)))
            if pool.refusal(VmSpec(vm["name"], vm["vcpus"], vm["pages"])) is None:
                pool.place(VmSpec(vm["name"], vm["vcpus"], vm["pages"]))
                guests.append(vm)
        case = _case(hosts, guests)
        if off_first is None and "off first" in case["kinds"]:
            off_first = case
        elif len(case["kinds"]) >= 2 and len(cases) < 5:
            cases.append(case)
    return [*cases, off_first]
