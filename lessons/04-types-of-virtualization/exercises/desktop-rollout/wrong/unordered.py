# expect: in version order
def roll_update(pool, patches):
    current = pool.version
    done = {}
    for patch in patches:
        if patch["version"] > current:
            pool.push_update(patch["blocks"])
            done.update(patch["blocks"])
    failing = set()
    for block, value in done.items():
        failing.update(pool.audit(block, value))
    return sorted(failing)
