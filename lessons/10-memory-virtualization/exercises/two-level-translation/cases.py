"""Guests with their page tables, the pages they touched first, and the accesses to translate.

A case is built in the model's MachineMemory: each guest maps its page table (guest-virtual to
guest-physical pages), writes the ``touch`` pages (the hypervisor backs them with frames in that
order), the hypervisor shares identical pages if ``share``, and then each access is translated
and written. Kinds are read off that model run: "hit" (both translations succeed), "shared" (the
frame reached is shared with another page), "page-table-fault" (the guest's page table has no
entry), "pmap-fault" (the page was never touched), "swapped-out" (it was, but was swapped out),
and "two-guests" (two guests whose guest-physical page numbers overlap).
"""

from tutor.sim import InvalidOperation, MachineMemory


def _kinds(args):
    memory = MachineMemory(args["frames"])
    for name, guest in args["guests"].items():
        memory.add_guest(name, guest["pages"])
        for gvpn, gppn in guest["page_table"]:
            memory.map(name, gvpn, gppn)
    for name, gvpn, value in args["touch"]:
        memory.write(name, gvpn, value)
    if args["share"]:
        memory.share()
    kinds = {"two-guests"} if len(args["guests"]) > 1 else set()
    for name, gvpn, value in args["accesses"]:
        guest = memory.guests[name]
        try:
            gppn, mpn = memory.translate(name, gvpn)
        except InvalidOperation:
            kinds.add("page-table-fault")
            continue
        if mpn is None:
            kinds.add("swapped-out" if gppn in guest.swapped else "pmap-fault")
        else:
            users = [m for g in memory.guests.values() for m in g.pmap.values() if m == mpn]
            kinds.add("shared" if len(users) > 1 else "hit")
        memory.write(name, gvpn, value)
    return sorted(kinds)


def _case(frames, guests, touch, accesses, en, zh, share=False):
    args = {
        "frames": frames,
        "guests": {
            name: {"pages": pages, "page_table": [list(pair) for pair in table]}
            for name, (pages, table) in guests.items()
        },
        "touch": [list(t) for t in touch],
        "share": share,
        "accesses": [list(a) for a in accesses],
    }
    return {"name": en, "title": {"en": en, "zh": zh}, "args": args, "kinds": _kinds(args)}


PRACTICE = [
    _case(
        8,
        {"A": (8, [(0, 5), (1, 3), (2, 7), (3, 0)])},
        [("A", 2, 11), ("A", 0, 12)],
        [("A", 0, 21), ("A", 1, 22), ("A", 1, 23), ("A", 5, 24), ("A", 3, 25)],
        "one guest, backed on first touch",
        "一台客户机，第一次访问时才分配页框",
    ),
    _case(
        8,
        {"A": (4, [(0, 1), (1, 3), (2, 0)]), "B": (4, [(0, 3), (1, 0), (2, 2)])},
        [("B", 0, 11), ("A", 0, 12), ("A", 1, 13), ("B", 1, 14)],
        [("B", 1, 21), ("A", 1, 22), ("A", 2, 23), ("B", 2, 24), ("B", 3, 25)],
        "two guests, each with its own page 0",
        "两台客户机，各有自己的第 0 页",
    ),
    _case(
        8,
        {"A": (4, [(0, 2), (1, 1)]), "B": (4, [(0, 1), (1, 3)])},
        [("A", 0, 7), ("A", 1, 9), ("B", 0, 7), ("B", 1, 5)],
        [("B", 0, 21), ("B", 0, 22), ("A", 0, 23), ("A", 1, 24)],
        "a shared page, then copy-on-write",
        "一个共享页，然后写时复制",
        share=True,
    ),
    _case(
        3,
        {"A": (6, [(0, 4), (1, 0), (2, 5), (3, 1)])},
        [("A", 0, 11), ("A", 1, 12), ("A", 2, 13), ("A", 3, 14)],
        [("A", 0, 21), ("A", 1, 22), ("A", 3, 23), ("A", 7, 24)],
        "three frames for four pages: swapping",
        "三个页框装四个页：换出",
    ),
]

NAMES = ("web", "db", "mail", "cache", "build", "vdi")
FLAVOURS = {
    # name: (guests, pages per guest, frames, share, kinds the case must have)
    "one guest": (1, 8, 10, False, {"hit", "pmap-fault", "page-table-fault"}),
    "two guests": (2, 6, 12, False, {"two-guests", "hit", "pmap-fault", "page-table-fault"}),
    "sharing": (2, 5, 10, True, {"shared", "hit"}),
    "swapping": (1, 8, 3, False, {"swapped-out", "hit"}),
}
TITLES = {
    "one guest": "一台客户机",
    "two guests": "两台客户机",
    "sharing": "页面共享与写时复制",
    "swapping": "页框不够：换出",
}


def _draw(rng, flavour):
    count, pages, frames, share, _ = FLAVOURS[flavour]
    frames += rng.randint(0, 1)
    guests, touch, accesses = {}, [], []
    for name in rng.sample(NAMES, count):
        mapped = rng.randint(pages // 2 + 1, pages)
        virtual = rng.sample(range(pages + 4), mapped)
        physical = rng.sample(range(pages), mapped)
        guests[name] = (pages, sorted(zip(virtual, physical, strict=True)))
        first = rng.sample(virtual, rng.randint(2, mapped - 1))
        for v in first:  # identical contents only where the hypervisor is to share them
            touch.append((name, v, rng.choice((7, 9)) if share else 100 + len(touch)))
        unmapped = [v for v in range(pages + 4) if v not in virtual]
        accesses += [(name, rng.choice(unmapped), 0)]
        accesses += [(name, rng.choice(virtual), 0) for _ in range(rng.randint(2, 4))]
    rng.shuffle(touch)
    rng.shuffle(accesses)
    accesses = [(name, v, 200 + i) for i, (name, v, _) in enumerate(accesses)]
    return frames, guests, touch, accesses, share


def hidden(rng):
    cases = []
    for flavour, (*_, wanted) in FLAVOURS.items():
        while True:
            frames, guests, touch, accesses, share = _draw(rng, flavour)
            case = _case(frames, guests, touch, accesses, flavour, TITLES[flavour], share)
            if wanted <= set(case["kinds"]):
                cases.append(case)
                break
    return cases
