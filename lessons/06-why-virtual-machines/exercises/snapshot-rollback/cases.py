"""Updates tried on a guest that has done some work; hidden ones are drawn per learner.

Kinds: "good update" (the smoke test passes), "bad update" (it overwrites the configuration
page), "disk" (the update also writes disk blocks, which a rollback must restore too) and
"several updates" (more than one update on the same guest: snapshot names must not repeat).
"""

CONFIG = 4242


def _case(seed, work, updates):
    kinds = set()
    for update in updates:
        bad = any(w["disk"] is None and w["target"] == 0 and w["value"] != CONFIG for w in update)
        kinds.add("bad update" if bad else "good update")
        if any(w["disk"] for w in update):
            kinds.add("disk")
    if len(updates) > 1:
        kinds.add("several updates")
    verdicts = [
        (
            "bad"
            if any(w["disk"] is None and w["target"] == 0 and w["value"] != CONFIG for w in u)
            else "good",
            any(w["disk"] for w in u),
        )
        for u in updates
    ]
    # Each update's title says whether it writes the disk too: two cases must not read alike.
    return {
        "args": {"seed": seed, "work": work, "config": CONFIG, "updates": updates},
        "kinds": sorted(kinds),
        "title": {
            "en": " then ".join(
                f"{v} update" + (" that also writes the disk" if disk else "")
                for v, disk in verdicts
            ),
            "zh": "，然后".join(
                ("好的更新" if v == "good" else "坏的更新") + ("（也写磁盘）" if disk else "")
                for v, disk in verdicts
            ),
        },
    }


def _mem(page, value):
    return {"target": page, "value": value, "disk": None}


def _disk(block, value):
    return {"target": block, "value": value, "disk": "disk0"}


PRACTICE = [
    _case(1, 5, [[_mem(3, 7), _mem(5, 9)]]),
    _case(2, 5, [[_mem(2, 11), _mem(0, 13)]]),
    _case(3, 8, [[_disk(4, 21), _mem(0, 99), _disk(6, 22)]]),
    _case(4, 6, [[_mem(1, 5), _disk(2, 6)], [_mem(0, 1), _mem(7, 8)]]),
]


def _update(rng, bad):
    writes = []
    for _ in range(rng.randint(2, 5)):
        if rng.random() < 0.4:
            writes.append(_disk(rng.randrange(8), rng.randint(1, 999)))
        else:
            writes.append(_mem(rng.randrange(1, 8), rng.randint(1, 999)))
    if bad:
        writes.insert(rng.randrange(len(writes) + 1), _mem(0, rng.randint(1, 999)))
    return writes


def hidden(rng):
    cases = []
    plans = [[False], [True], [True], [False, True], [True, False, True], [True, True]]
    for plan in plans:
        updates = [_update(rng, bad) for bad in plan]
        cases.append(_case(rng.randrange(10**6), rng.randint(3, 12), updates))
    return cases
