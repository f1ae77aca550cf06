"""VMs suspended or powered off, with and without snapshot chains, on one or two disks.

Kinds: "running" (a .vmss file) or "powered off" (none); "snapshot chain" when a disk is a base
image plus delta files; "two disks". Hidden cases change names, sizes, the work done and where
the snapshots fall, so only reading the files passes.
"""


def _case(
    name, running, work, disks=None, seed=1, pages=8, vcpus=1, source="host-a", target="host-b"
):
    disks = disks or {"disk0": 16}
    kinds = ["running" if running else "powered off"]
    if "snapshot" in work:
        kinds.append("snapshot chain")
    if len(disks) > 1:
        kinds.append("two disks")
    snaps = work.count("snapshot")
    return {
        "title": {
            "en": f"{name}: {'suspended' if running else 'powered off'}, {len(disks)} disk(s), "
            f"{snaps} snapshot(s)",
            "zh": (
                f"{name}：{'已挂起' if running else '已关机'}，{len(disks)} 块磁盘，{snaps} 个快照"
            ),
        },
        "args": {
            "name": name,
            "vcpus": vcpus,
            "pages": pages,
            "disks": disks,
            "work": work,
            "seed": seed,
            "running": running,
            "source": source,
            "target": target,
        },
        "kinds": kinds,
    }


# app's delta rewrites block 5 of its base image: a Run must catch a chain applied top first.
PRACTICE = [
    _case("web", True, [12]),
    _case("db", False, [15], seed=2),
    _case("app", True, [10, "snapshot", 8], seed=5),
    _case("mail", True, [8, "snapshot", 6, "snapshot", 6], {"disk0": 16, "data": 8}, seed=4),
]

NAMES = ("web", "db", "build", "cache", "erp", "ci", "dns", "git")


def hidden(rng):
    cases = []
    names = rng.sample(NAMES, 6)
    for i, name in enumerate(names):
        running = i != 1
        work = [rng.randint(6, 14)]
        for _ in range(i // 2):  # 0, 0, 1, 1, 2, 2 snapshots
            work += ["snapshot", rng.randint(4, 12)]
        disks = {"disk0": rng.choice((8, 16, 32))}
        if i in (3, 5):
            disks["data"] = rng.choice((4, 8))
        cases.append(
            _case(
                name,
                running,
                work,
                disks,
                seed=rng.randrange(10_000),
                pages=rng.choice((4, 8, 16)),
                vcpus=rng.choice((1, 2, 4)),
                source=f"host-{rng.choice('acde')}",
                target=f"host-{rng.choice('bfgh')}",
            )
        )
    return cases
