# expect: already has
def roll_update(pool, patches):
    newest = {}
    for patch in sorted(patches, key=lambda p: p["version"]):
        pool.push_update(patch["blocks"])
        newest.update(patch["blocks"])
    for block, value in newest.items():
        pool.audit(block, value)
    return []
