# expect: has no room left for it
def plan(hosts, guests):
    # Misconception: memory is the only thing a host can run out of.
    free = {h["name"]: h["pages"] for h in hosts}
    placement = {}
    for g in sorted(guests, key=lambda g: -g["pages"]):
        best = max(free, key=free.get)
        free[best] -= g["pages"]
        placement[g["name"]] = best
    return placement
