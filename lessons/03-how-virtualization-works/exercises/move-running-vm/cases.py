"""Running guests of different shapes moved between hosts, then given more work.

Kinds: "one disk", "two disks", "after a snapshot" (the disk is a chain when it is saved).
"""


def _case(name, work, disks, seed, pages=8, source="host-a", target="host-b", after=10):
    kinds = ["two disks" if len(disks) > 1 else "one disk"]
    if "snapshot" in work:
        kinds.append("after a snapshot")
    return {
        "title": {
            "en": f"{name}: {source} → {target}",
            "zh": f"{name}：{source} → {target}",
        },
        "args": {
            "name": name,
            "pages": pages,
            "disks": disks,
            "work": work,
            "seed": seed,
            "source": source,
            "target": target,
            "after": after,
        },
        "kinds": kinds,
    }


PRACTICE = [
    _case("web", [12], {"disk0": 16}, seed=1),
    _case("db", [8], {"disk0": 16, "logs": 8}, seed=2, target="host-c"),
    _case("app", [6, "snapshot", 6], {"disk0": 16}, seed=3, source="host-b", target="host-a"),
]

NAMES = ("web", "db", "build", "cache", "erp", "ci", "dns", "git")
HOSTS = ("host-a", "host-b", "host-c", "host-d", "host-e")


def hidden(rng):
    cases = []
    for i, name in enumerate(rng.sample(NAMES, 5)):
        source, target = rng.sample(HOSTS, 2)
        work = [rng.randint(5, 15)]
        if i in (2, 4):
            work += ["snapshot", rng.randint(3, 10)]
        disks = {"disk0": rng.choice((8, 16, 32))}
        if i in (1, 4):
            disks["data"] = rng.choice((4, 8))
        cases.append(
            _case(
                name,
                work,
                disks,
                seed=rng.randrange(10_000),
                pages=rng.choice((4, 8, 16)),
                source=source,
                target=target,
                after=rng.randint(5, 20),
            )
        )
    return cases
