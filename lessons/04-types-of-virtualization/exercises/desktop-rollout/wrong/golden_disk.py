# expect: recomposes every desktop
def roll_update(pool, patches):
    for patch in sorted(patches, key=lambda p: p["version"]):
        if patch["version"] > pool.version:
            for block, value in patch["blocks"].items():
                pool.golden.disks["os"].write(block, value)
    return []
