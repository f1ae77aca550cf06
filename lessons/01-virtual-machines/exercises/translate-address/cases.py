"""Layouts of two to four guests and accesses at the edges of their slices.

Every case asks for the first and last address of some slices (where an off-by-one shows), one
past the end (which a flat layout would hand to the next guest, or past the last slice to free
host memory) and a negative one, in memory (after the hypervisor's own pages) and on disk (from
block 0). Hidden layouts change the sizes, the order and the hypervisor's share.
"""

import random

NAMES = ("web", "db", "mail", "cache")
PROBES = {  # what a case's accesses probe, in its name
    "inside": ("addresses inside", "范围内的地址"),
    "past the end": ("past the end", "越过末尾的地址"),
    "negative address": ("a negative address", "负地址"),
}


def _case(rng, count, hypervisor_pages, kinds_wanted):
    guests = [
        {"name": name, "memory_pages": rng.randrange(4, 33), "disk_blocks": rng.randrange(8, 65)}
        for name in rng.sample(NAMES, count)
    ]
    accesses, kinds = [], []
    for resource in ("memory", "disk"):
        size_key = "memory_pages" if resource == "memory" else "disk_blocks"
        for i, g in enumerate(guests):
            size = g[size_key]
            picks = [("inside", rng.randrange(size)), ("inside", size - 1)]
            if "past the end" in kinds_wanted:
                picks.append(("past the end", size + rng.randrange(2)))
            if "negative address" in kinds_wanted and i == 0:
                picks.append(("negative address", -1))
            for kind, address in picks:
                accesses.append([g["name"], resource, address])
                for k in (kind, resource, "first guest" if i == 0 else "later guest"):
                    if k not in kinds:
                        kinds.append(k)
    rng.shuffle(accesses)
    order = [g["name"] for g in guests]
    probes = [p for p in PROBES if p in kinds_wanted]
    en = f"{', '.join(order)} after the hypervisor's {hypervisor_pages} pages: " + ", ".join(
        PROBES[p][0] for p in probes
    )
    zh = f"虚拟机监控程序的 {hypervisor_pages} 页之后依次是 {'、'.join(order)}：" + "、".join(
        PROBES[p][1] for p in probes
    )
    return {
        "name": en,
        "args": {
            "layout": {"hypervisor_pages": hypervisor_pages, "guests": guests},
            "accesses": accesses,
        },
        "kinds": kinds,
        "title": {"en": en, "zh": zh},
    }


def _practice():
    rng = random.Random(7)
    return [
        _case(rng, 2, 8, {"inside"}),
        _case(rng, 3, 16, {"inside", "past the end"}),
        _case(rng, 3, 8, {"inside", "past the end", "negative address"}),
    ]


PRACTICE = _practice()


def hidden(rng):
    every = {"inside", "past the end", "negative address"}
    return [_case(rng, count, rng.choice((4, 8, 12, 16, 24)), every) for count in (2, 3, 4, 4)]
