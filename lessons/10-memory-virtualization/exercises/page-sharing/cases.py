"""Guests as lists of page contents, salts and writes after sharing.

Kinds: "across-guests" (unsalted guests share identical pages), "salted" (per-VM salts: only
inside each guest), "tenant" (two guests with one salt share, a third does not), "cow" (a write to
a shared page) and "private-write" (a write to a page that has its frame alone)."""


def _case(guests, salts, writes, en, zh):
    kinds = []
    salt_values = [salts.get(g) for g in guests]
    if all(s is None for s in salt_values):
        kinds.append("across-guests")
    elif len(set(salt_values)) == len(salt_values):
        kinds.append("salted")
    else:
        kinds.append("tenant")
    counts = {}
    for g, contents in guests.items():
        for value in contents:
            key = (salts.get(g), value)
            counts[key] = counts.get(key, 0) + 1
    for g, page, _ in writes:
        shared = counts[(salts.get(g), guests[g][page])] > 1
        kinds.append("cow" if shared else "private-write")
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
]


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
    return cases
