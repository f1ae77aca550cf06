def roll_update(pool, patches):
    newest = {}
    for patch in sorted(patches, key=lambda p: p["version"]):
        if patch["version"] <= pool.version:
            continue
        pool.push_update(patch["blocks"])
        newest.update(patch["blocks"])
    failing = set()
    for block, value in sorted(newest.items()):
        failing.update(pool.audit(block, value))
    return sorted(failing)
