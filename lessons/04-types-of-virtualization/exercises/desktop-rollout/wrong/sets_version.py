# expect: each new patch is one push_update
def roll_update(pool, patches):
    newest = {}
    for patch in sorted(patches, key=lambda p: p["version"]):
        if patch["version"] > pool.version:
            newest.update(patch["blocks"])
    pool.push_update(newest)  # Misconception: one merged update, then the number set by hand.
    pool.version = max(p["version"] for p in patches)
    failing = set()
    for block, value in newest.items():
        failing.update(pool.audit(block, value))
    return sorted(failing)
