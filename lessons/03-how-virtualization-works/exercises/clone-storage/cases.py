"""Plans of writes and linked clones, small to large.

Kinds, read off each plan: "clones of one image" (always), "repeated writes" (a block written
twice into the same delta), "parent writes after cloning", "clone of a clone".
"""


def kinds_of(plan):
    kinds = ["clones of one image"]
    seen = {plan["golden"]: []}
    cloned = set()
    clone_of_clone = parent_after = repeats = False
    for step in plan["steps"]:
        if step[0] == "write":
            _, guest, blocks = step
            parent_after = parent_after or guest in cloned
            repeats = (
                repeats or len(set(seen[guest]) & set(blocks)) > 0 or len(set(blocks)) < len(blocks)
            )
            seen[guest] = seen[guest] + blocks
        else:
            _, parent, name = step
            clone_of_clone = clone_of_clone or parent != plan["golden"]
            cloned.add(parent)
            seen[parent] = []
            seen[name] = []
    if repeats:
        kinds.append("repeated writes")
    if parent_after:
        kinds.append("parent writes after cloning")
    if clone_of_clone:
        kinds.append("clone of a clone")
    return kinds


def _case(plan, en, zh):
    return {"title": {"en": en, "zh": zh}, "args": {"plan": plan}, "kinds": kinds_of(plan)}


PRACTICE = [
    _case(
        {
            "golden": "golden",
            "blocks": 16,
            "steps": [
                ["write", "golden", [0, 1, 2, 3, 4, 5]],
                ["clone", "golden", "desk1"],
                ["clone", "golden", "desk2"],
                ["write", "desk1", [6, 7]],
                ["write", "desk2", [0]],
            ],
        },
        "two desktops from a golden image",
        "从黄金镜像克隆两台桌面",
    ),
    _case(
        {
            "golden": "golden",
            "blocks": 16,
            "steps": [
                ["write", "golden", [0, 1, 2, 3]],
                ["clone", "golden", "desk1"],
                ["write", "desk1", [5, 5, 6]],
                ["write", "desk1", [6, 1]],
            ],
        },
        "one desktop writing some blocks twice",
        "一台桌面把某些块写了两次",
    ),
    _case(
        {
            "golden": "golden",
            "blocks": 16,
            "steps": [
                ["write", "golden", [0, 1, 2]],
                ["clone", "golden", "desk1"],
                ["write", "golden", [3, 4]],
                ["clone", "golden", "desk2"],
                ["write", "desk2", [9]],
            ],
        },
        "the golden VM keeps writing between clones",
        "黄金镜像所在的虚拟机在两次克隆之间继续写入",
    ),
    _case(
        {
            "golden": "base",
            "blocks": 32,
            "steps": [
                ["write", "base", [0, 1, 2, 3, 4, 5, 6, 7]],
                ["clone", "base", "dev"],
                ["write", "dev", [8, 9, 10]],
                ["clone", "dev", "dev-test"],
                ["write", "dev-test", [11]],
                ["write", "dev", [8, 12]],
            ],
        },
        "a clone of a clone",
        "克隆的克隆",
    ),
]


def hidden(rng):
    cases = []
    for i in range(5):
        size = rng.choice((16, 32, 64))
        golden = rng.choice(("golden", "base", "win11", "ubuntu"))
        steps = [["write", golden, rng.sample(range(size), rng.randint(4, size // 2))]]
        guests = [golden]
        for n in range(rng.randint(2, 4 + i)):
            parent = golden if i < 2 or rng.random() < 0.6 else rng.choice(guests)
            name = f"vm{n + 1}"
            steps.append(["clone", parent, name])
            guests.append(name)
            writes = [rng.randrange(size) for _ in range(rng.randint(1, 6))]
            if rng.random() < 0.5:
                writes.append(writes[0])  # the same block again
            steps.append(["write", name, writes])
            if rng.random() < 0.4:
                steps.append(
                    ["write", parent, [rng.randrange(size) for _ in range(rng.randint(1, 3))]]
                )
        plan = {"golden": golden, "blocks": size, "steps": steps}
        cases.append(
            _case(
                plan,
                f"{len(guests) - 1} clones of {golden!r}, {size} blocks",
                f"{golden!r} 的 {len(guests) - 1} 个克隆，{size} 个块",
            )
        )
    return cases
