"""Guests as lists of page contents, salts and writes after sharing.

Kinds: "across-guests" (unsalted guests share identical pages), "salted" (per-VM salts: only
inside each guest), "tenant" (two guests with one salt share, a third does not), "cow" (a write to
a shared page), "private-write" (a write to a page that has its frame alone) and "no-longer-shared"
(a write to a page that share() left shared but that has its frame alone by now: it was written
before, or the pages it shared with were copied away), which every hidden seed has."""


def _case(guests, salts, writes, en, zh):
    kinds = []
    salt_values = [salts.get(g) for g in guests]
    if all(s is None for s in salt_values):
        kinds.append("across-guests")
    elif len(set(salt_values)) == len(salt_values):
        kinds.append("salted")
    else:
        kinds.append("tenant")
    users = {}  # the pages that use each frame, as share() leaves them
    for g, contents in guests.items():
        for page, value in enumerate(contents):
            users.setdefault((salts.get(g), value), set()).add((g, page))
    frame_of = {page: frame for frame, pages in users.items() for page in pages}
    shared = {page for pages in users.values() if len(pages) > 1 for page in pages}
    for g, page, _ in writes:
        if len(users[frame_of[(g, page)]]) > 1:  # copy-on-write: a frame of its own
            kinds.append("cow")
            users[frame_of[(g, page)]].discard((g, page))
            frame_of[(g, page)] = (g, page)
            users[(g, page)] = {(g, page)}
        else:
            kinds.append("no-longer-shared" if (g, page) in shared else "private-write")
    return {
        "name": en,
        "title": {"en": en, "zh": zh},
        "args": {"guests": guests, "salts": salts, "writes": writes},
        "kinds": sorted(set(kinds)),
    }


PRACTICE = [
    _case(
        {"A": [7, 7, 7, 41], "B": [7, 7, 7, 42]},
        {"A": None, "B": None},
        [["B", 0, 9], ["A", 3, 43]],
        "two guests from one image",
        "来自同一镜像的两台客户机",
    ),
    _case(
        {"A": [7, 7, 7, 41], "B": [7, 7, 7, 42]},
        {"A": "A", "B": "B"},
        [["B", 0, 9]],
        "the same guests, salted per VM",
        "同样的客户机，按虚拟机加盐",
    ),
    _case(
        {"web1": [5, 5, 6], "web2": [5, 6, 8], "db": [5, 6, 9]},
        {"web1": "shop", "web2": "shop", "db": None},
        [["web2", 0, 1], ["db", 2, 3]],
        "one customer's two VMs share a salt",
        "同一客户的两台虚拟机共用一个盐值",
    ),
    # A's page 0 is copied away from B's; B's page 0 then has its frame alone, and so has A's
    # page 0 when A writes it again: neither write costs a frame
    _case(
        {"A": [7, 41], "B": [7, 42]},
        {"A": None, "B": None},
        [["A", 0, 9], ["B", 0, 10], ["A", 0, 11]],
        "writing a page that is no longer shared",
        "写一个已不再共享的页",
    ),
]


def _no_longer_shared(rng, guests, salts):
    """Writes to every page of one shared group, in a random order, then to one of them again:
    the last of the group and the second write have their frames alone by then."""
    groups = {}
    for g, contents in guests.items():
        for page, value in enumerate(contents):
            groups.setdefault((salts.get(g), value), []).append([g, page])
    group = rng.choice([pages for pages in groups.values() if len(pages) > 1])
    rng.shuffle(group)
    return [[g, page, rng.randint(20, 30)] for g, page in [*group, group[0]]]


def hidden(rng):
    cases = []
    for mode in ("across-guests", "salted", "tenant"):
        names = ["A", "B", "C"] if mode == "tenant" else ["A", "B"]
        guests = {g: [rng.choice([7, 7, 8, 9]) for _ in range(rng.randint(3, 6))] for g in names}
        if mode == "across-guests":
            salts = dict.fromkeys(names)
        elif mode == "salted":
            salts = {g: g for g in names}
        else:
            salts = {"A": "t", "B": "t", "C": None}
        writes = []
        for _ in range(rng.randint(2, 4)):
            g = rng.choice(names)
            writes.append([g, rng.randrange(len(guests[g])), rng.randint(20, 30)])
        title = {"across-guests": "unsalted", "salted": "salted", "tenant": "a tenant's salt"}
        zh = {"across-guests": "不加盐", "salted": "加盐", "tenant": "租户的盐值"}
        cases.append(_case(guests, salts, writes, title[mode], zh[mode]))
    guests = {g: [rng.choice([7, 7, 8, 9]) for _ in range(rng.randint(3, 6))] for g in "AB"}
    salts = dict.fromkeys(guests)
    writes = _no_longer_shared(rng, guests, salts)
    cases.append(_case(guests, salts, writes, "writing pages again", "再次写这些页"))
    return cases
