# expect: no security check ran
def roll_update(pool, patches):
    for patch in sorted(patches, key=lambda p: p["version"]):
        if patch["version"] > pool.version:
            pool.push_update(patch["blocks"])
    return []
