"""Runs of guests writing and reading, built from small scenes that each test one rule.

Every scene is a short script that a wrong picture of a VM predicts differently: two guests using
the same address, a guest reaching past the end of its slice (straight into the next guest's, in
a flat layout), a negative address (the end of its own slice, in a list indexed from the end, or
the previous guest's, in a flat layout), a restart (memory wiped, disk kept), and reads of what
was never written. Hidden runs mix three or four scenes with random guests, sizes, addresses and
values; the last one always has a negative address.
"""

import random

NAMES = ("web", "db", "mail", "cache")
WHAT = {
    "same address in two guests": "两台客户机用同一个地址",
    "never written": "读取从未写过的地址",
    "outside the slice": "越过切片边界",
    "negative address": "负地址",
    "restart": "重启",
}


def _guests(rng, count):
    return {
        name: {"memory_pages": rng.randrange(4, 17), "disk_blocks": rng.randrange(8, 33)}
        for name in rng.sample(NAMES, count)
    }


def _size(guests, name, resource):
    return guests[name]["memory_pages" if resource == "memory" else "disk_blocks"]


def _same_address(rng, guests, values):
    a, b = rng.sample(list(guests), 2)
    resource = rng.choice(("memory", "disk"))
    address = rng.randrange(min(_size(guests, a, resource), _size(guests, b, resource)))
    ops = [["write", a, resource, address, next(values)]]
    kinds = ["same address in two guests", resource]
    if rng.random() < 0.5:
        ops.append(["write", b, resource, address, next(values)])
    else:
        kinds.append("never written")
    ops += [["read", b, resource, address], ["read", a, resource, address]]
    return ops, kinds


def _outside(rng, guests, values):
    order = list(guests)
    i = rng.randrange(len(order) - 1)
    a, b = order[i], order[i + 1]  # b's slice starts right where a's ends
    resource = rng.choice(("memory", "disk"))
    k = rng.randrange(min(3, _size(guests, b, resource)))
    past = _size(guests, a, resource) + k
    ops = [
        ["write", b, resource, k, next(values)],
        ["write", a, resource, past, next(values)],
        ["read", b, resource, k],
        ["read", a, resource, past],
    ]
    return ops, ["outside the slice", resource]


def _negative(rng, guests, values):
    order = list(guests)
    i = rng.randrange(len(order))
    a, before = order[i], order[max(i - 1, 0)]  # before's slice ends right where a's starts
    resource = rng.choice(("memory", "disk"))
    k = rng.randrange(1, 3)
    last = _size(guests, before, resource) - 1
    ops = [
        ["write", before, resource, last, next(values)],
        ["write", a, resource, -k, next(values)],
        ["read", a, resource, -k],
        ["read", before, resource, last],
        ["read", a, resource, _size(guests, a, resource) - k],
    ]
    return ops, ["negative address", resource]


def _restart(rng, guests, values):
    a = rng.choice(list(guests))
    page = rng.randrange(_size(guests, a, "memory"))
    block = rng.randrange(_size(guests, a, "disk"))
    ops = [
        ["write", a, "memory", page, next(values)],
        ["write", a, "disk", block, next(values)],
        ["restart", a],
        ["read", a, "memory", page],
        ["read", a, "disk", block],
    ]
    return ops, ["restart", "memory", "disk"]


SCENES = (_same_address, _outside, _restart)


def _case(rng, scenes, count=3):
    guests = _guests(rng, count)
    values = iter(rng.sample(range(10, 100), 60))
    ops, kinds = [], []
    for scene in scenes:
        more, what = scene(rng, guests, values)
        ops += more
        kinds += [k for k in what if k not in kinds]
    if "memory" not in kinds:
        kinds.append("memory")
    what = [k for k in kinds if k in WHAT]
    return {
        "args": {"guests": guests, "ops": ops},
        "kinds": kinds,
        "title": {
            "en": f"{count} guests: " + ", ".join(what),
            "zh": f"{count} 台客户机：" + "、".join(WHAT[k] for k in what),
        },
    }


def _practice():
    rng = random.Random(1)
    return [
        _case(rng, [_same_address, _same_address], 2),
        _case(rng, [_outside, _same_address], 2),
        _case(rng, [_restart, _same_address], 3),
        _case(rng, [_outside, _restart, _same_address], 3),
        _case(rng, [_negative, _same_address], 3),
    ]


PRACTICE = _practice()


def hidden(rng):
    cases = []
    for count in (2, 3, 3, 4, 4, 4):
        scenes = [rng.choice(SCENES) for _ in range(rng.randrange(3, 5))]
        cases.append(_case(rng, scenes, count))
    cases.append(_case(rng, [_outside, _outside, _same_address], 4))
    cases.append(_case(rng, [_restart, _same_address, _same_address], 3))
    cases.append(_case(rng, [_negative, _outside, _same_address], 4))
    return cases
