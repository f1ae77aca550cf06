# expect: rolled out after your update
def roll_update(pool, patches):
    for patch in sorted(patches, key=lambda p: p["version"]):
        if patch["version"] <= pool.version:
            continue
        for desktop in pool.desktops:
            for block, value in patch["blocks"].items():
                desktop.write_disk("os", block, value)
    return []
