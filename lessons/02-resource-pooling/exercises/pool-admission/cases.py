"""Pools of two to four hosts asked for guests in turn; every case mixes verdicts.

Kinds are the verdicts the reference gives in the case ("admit", "too_big", "pool_full",
"fragmented"), computed with the model itself, so practice provably covers every hidden kind;
and "vCPUs decide" for a pool whose pages are plentiful, so that every refusal in it is about
vCPUs (one in practice and on every hidden seed). Hidden pools differ in size per learner, so a
table of answers from practice does not pass.
"""

from tutor.sim import Host, ResourcePool, VmSpec


def _verdicts(hosts, guests):
    pool = ResourcePool(Host(h["name"], cores=h["cores"], memory_pages=h["pages"]) for h in hosts)
    seen = []
    for g in guests:
        vm = VmSpec(g["name"], g["vcpus"], g["pages"])
        reason = pool.refusal(vm)
        seen.append(reason or "admit")
        if reason is None:
            pool.place(vm)
    return seen


def _title(hosts, guests, vcpus_decide):
    """What the report calls a hidden case: the pool and the guests asked for, never the
    verdicts (the kinds are the reference's, so a title made of them would give them away)."""
    n, m = len(hosts), len(guests)
    if vcpus_decide:
        return {
            "en": f"{n} hosts with memory to spare, {m} guests",
            "zh": f"{n} 台内存充裕的宿主机，{m} 台客户机",
        }
    return {"en": f"{n} hosts, {m} guests", "zh": f"{n} 台宿主机，{m} 台客户机"}


def _case(hosts, guests, title=None, vcpus_decide=False):
    kinds = sorted(set(_verdicts(hosts, guests))) + (["vCPUs decide"] if vcpus_decide else [])
    title = title or _title(hosts, guests, vcpus_decide)
    return {"args": {"hosts": hosts, "guests": guests}, "kinds": kinds, "title": title}


def _host(i, cores, pages):
    return {"name": f"h{i}", "cores": cores, "pages": pages}


def _vm(name, vcpus, pages):
    return {"name": name, "vcpus": vcpus, "pages": pages}


PRACTICE = [
    _case(
        [_host(1, 4, 64), _host(2, 4, 64)],
        [_vm("web", 2, 32), _vm("db", 2, 48), _vm("big", 2, 80)],
        {
            "en": "two hosts: two guests fit, one is too big",
            "zh": "两台宿主机：两台客户机放得下，一台太大",
        },
    ),
    _case(
        [_host(1, 4, 64), _host(2, 4, 64)],
        [_vm("a", 2, 40), _vm("b", 2, 40), _vm("c", 2, 40), _vm("d", 2, 20)],
        {"en": "free memory in pieces: fragmented", "zh": "空闲内存零散：碎片化"},
    ),
    _case(
        [_host(1, 8, 128), _host(2, 4, 64), _host(3, 4, 64)],
        [_vm("a", 6, 100), _vm("b", 4, 60), _vm("c", 4, 60), _vm("d", 2, 40), _vm("e", 1, 8)],
        {"en": "three hosts filling up: pool full", "zh": "三台宿主机逐渐占满：资源池已满"},
    ),
    # Pages to spare everywhere: cache is fragmented, batch finds the pool full and huge is too
    # big, all three for their vCPUs alone.
    _case(
        [_host(1, 4, 128), _host(2, 4, 128)],
        [_vm("web", 3, 32), _vm("db", 3, 32), _vm("cache", 2, 16), _vm("batch", 3, 16)]
        + [_vm("huge", 6, 16)],
        {
            "en": "plenty of memory, few cores: vCPUs decide",
            "zh": "内存充足、核心很少：由 vCPU 决定",
        },
        vcpus_decide=True,
    ),
]


def _short_of_cores(rng):
    """Hosts of 4 cores with pages to spare, each left with one free vCPU: a guest of 2 vCPUs is
    fragmented, one of more than the free vCPUs finds the pool full, one of more than 4 is too
    big, whatever their pages."""
    n = rng.randint(2, 3)
    hosts = [_host(i + 1, 4, rng.choice((96, 128, 192))) for i in range(n)]
    guests = [_vm(f"g{i}", 3, rng.randint(8, 48)) for i in range(n)]
    refused = [2, n + 1, rng.randint(5, 8)]  # fragmented, pool full, too big
    rng.shuffle(refused)
    guests += [_vm(f"g{n + i}", vcpus, rng.randint(4, 16)) for i, vcpus in enumerate(refused)]
    return _case(hosts, guests, vcpus_decide=True)


def hidden(rng):
    cases = []
    wanted = ["too_big", "fragmented", "pool_full", "admit"]
    while len(cases) < 6:
        n = rng.randint(2, 4)
        hosts = [_host(i + 1, rng.choice((4, 8)), rng.choice((64, 96, 128))) for i in range(n)]
        big = max(h["pages"] for h in hosts)
        guests = []
        for j in range(rng.randint(4, 7)):
            if rng.random() < 0.15:
                guests.append(_vm(f"g{j}", rng.randint(1, 4), big + rng.randint(1, 40)))
            else:
                guests.append(_vm(f"g{j}", rng.randint(1, 4), rng.randint(8, big * 3 // 4)))
        case = _case(hosts, guests)
        # Keep the cases that test a refusal, and cover the kinds in turn.
        if wanted[len(cases) % 4] in case["kinds"] and len(case["kinds"]) > 1:
            cases.append(case)
    return [*cases, _short_of_cores(rng)]
