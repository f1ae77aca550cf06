"""Pools of virtual desktops, some changed by hand, with patches to roll out.

Kinds: one new patch; several new patches given out of order that change the same block (the
newest must win); patches the image already has; desktops changed by hand (drift) that the
recomposition must bring back. Hidden pools have their own size, blocks and values.
"""

OS_BLOCKS = 16


def _patch(version, blocks):
    return {"version": version, "blocks": {str(b): v for b, v in blocks.items()}}


def _case(name, title, desktops, image, current, patches, drift, late=2):
    kinds = []
    new = [p for p in patches if p["version"] > current]
    kinds.append("several patches out of order" if len(new) > 1 else "one new patch")
    if any(p["version"] <= current for p in patches):
        kinds.append("already installed")
    if drift:
        kinds.append("drifted desktops")
    return {
        "name": name,
        "title": title,
        "kinds": kinds,
        "args": {
            "desktops": desktops,
            "image": {str(b): v for b, v in image.items()},
            "current": current,
            "patches": patches,
            "drift": drift,
            "late": late,
        },
    }


PRACTICE = [
    _case(
        "one patch",
        {"en": "5 desktops, one new patch", "zh": "5 台桌面，一个新补丁"},
        5,
        {3: 1},
        1,
        [_patch(2, {7: 2})],
        [],
    ),
    _case(
        "catching up",
        {
            "en": "8 desktops at version 2, two of them changed by hand; patches 2, 4 and 3",
            "zh": "8 台桌面处于版本 2，其中两台被手动改过；补丁 2、4、3",
        },
        8,
        {3: 1, 5: 10},
        2,
        [_patch(2, {5: 11}), _patch(4, {5: 13, 9: 4}), _patch(3, {5: 12, 6: 3})],
        [[1, 3, 0], [6, 5, 99]],
    ),
]


def hidden(rng):
    """A small pool with one patch, then two larger ones with a backlog of patches to catch up."""
    cases = []
    for size, backlog in (
        (rng.randint(4, 8), 1),
        (rng.randint(10, 20), 3),
        (rng.randint(20, 30), 4),
    ):
        blocks = rng.sample(range(OS_BLOCKS), 6)
        image = {b: rng.randint(1, 9) for b in blocks[:2]}
        current = rng.randint(1, 3)
        patches = []
        # The installed ones (versions 2..current) and the new ones; new ones share a block.
        shared = blocks[2]
        for version in range(2, current + backlog + 1):
            changes = {rng.choice(blocks): rng.randint(10, 99)}
            if version > current:
                changes[shared] = 100 + version
            patches.append(_patch(version, changes))
        rng.shuffle(patches)
        if backlog > 1 and [p["version"] for p in patches if p["version"] > current] == sorted(
            p["version"] for p in patches if p["version"] > current
        ):
            patches.reverse()
        drift = [
            [rng.randrange(size), rng.choice(blocks), rng.randint(200, 299)]
            for _ in range(rng.randint(0 if backlog == 1 else 1, 3))
        ]
        title = {
            "en": f"{size} desktops at version {current}, {len(patches)} patch(es), "
            f"{len(drift)} changed by hand",
            "zh": f"{size} 台桌面处于版本 {current}，{len(patches)} 个补丁，"
            f"{len(drift)} 处手动改动",
        }
        cases.append(_case(f"{size} desktops", title, size, image, current, patches, drift))
    return cases
