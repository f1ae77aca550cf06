"""Hosts and workloads where exactly one resource is tight, so every rule of a fit matters.

Each case picks the resource that decides it (cores, memory, disk or network) and sizes the
workload so that a correct spec takes *all* of what is left of it (after the hypervisor's own
pages, the guests already there and the next guest's share) or one unit more than that, which
makes the case impossible. A spec that forgets the guest OS, the guests already carved or the next
guest's share is then refused by the model, or misses the workload.
"""

import random

RESOURCES = ("vcpus", "memory_pages", "disk_blocks", "nic_mbps")
WORDS = {
    "vcpus": ("cores", "CPU 核心"),
    "memory_pages": ("memory", "内存"),
    "disk_blocks": ("disk", "磁盘"),
    "nic_mbps": ("network", "网络"),
}


def _case(rng, tight, guests, following, fits):
    host = {
        "cores": rng.choice((8, 12, 16)),
        "memory_pages": rng.randrange(96, 257, 8),
        "disk_blocks": rng.randrange(400, 1001, 50),
        "nic_mbps": rng.choice((1000, 10000)),
        "hypervisor_pages": rng.randrange(8, 25, 4),
        "guests": [],
        "next": None,
    }
    free = {
        "vcpus": host["cores"],
        "memory_pages": host["memory_pages"] - host["hypervisor_pages"],
        "disk_blocks": host["disk_blocks"],
        "nic_mbps": host["nic_mbps"],
    }
    for _ in range(guests):
        guest = {key: max(1, free[key] // rng.choice((3, 4))) for key in RESOURCES}
        guest["nic_mbps"] = free["nic_mbps"] // 5
        host["guests"].append(guest)
        free = {key: free[key] - guest[key] for key in RESOURCES}
    if following:
        host["next"] = {key: max(1, free[key] // 4) for key in RESOURCES}
        free = {key: free[key] - host["next"][key] for key in RESOURCES}
    want = {key: rng.randrange(max(1, free[key] // 3), free[key] + 1) for key in RESOURCES}
    want[tight] = free[tight] + (0 if fits else rng.randrange(1, 4))
    os_pages = rng.randrange(4, min(16, want["memory_pages"]))
    os_blocks = rng.randrange(20, min(80, want["disk_blocks"]))
    workload = {
        "threads": want["vcpus"],
        "os_pages": os_pages,
        "app_pages": want["memory_pages"] - os_pages,
        "os_blocks": os_blocks,
        "data_blocks": want["disk_blocks"] - os_blocks,
        "mbps": want["nic_mbps"],
    }
    en, zh = WORDS[tight]
    state = ("guests already there", "已有客户机") if guests else ("empty host", "空宿主机")
    outcome = ("fits", "放得下") if fits else ("impossible", "放不下")
    return {
        "args": {"host": host, "workload": workload},
        "kinds": [state[0], outcome[0], f"tight: {en}"] + (["next guest"] if following else []),
        "title": {
            "en": f"{state[0]}, tight on {en}"
            + (", a next guest" if following else "")
            + f": {outcome[0]}",
            "zh": f"{state[1]}，{zh}最紧张"
            + ("，还有下一台客户机" if following else "")
            + f"：{outcome[1]}",
        },
    }


def _practice():
    rng = random.Random(2021)
    plan = [
        ("memory_pages", 0, False, True),
        ("vcpus", 1, False, True),
        ("disk_blocks", 1, True, True),
        ("memory_pages", 2, False, False),
        ("nic_mbps", 0, True, False),
    ]
    return [_case(rng, *row) for row in plan]


PRACTICE = _practice()


def hidden(rng):
    cases = []
    for tight in RESOURCES:
        cases.append(_case(rng, tight, rng.randrange(3), rng.random() < 0.5, True))
    for tight in rng.sample(RESOURCES, len(RESOURCES)):
        cases.append(_case(rng, tight, rng.randrange(1, 3), rng.random() < 0.5, False))
    cases.append(_case(rng, rng.choice(RESOURCES), 0, True, False))
    return cases
