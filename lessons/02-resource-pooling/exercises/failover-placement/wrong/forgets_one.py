# expect: does not place
def plan(hosts, guests):
    # Forgets the smallest guest: "it will find a place anyway".
    order = sorted(guests, key=lambda g: -g["pages"])
    free = {h["name"]: h["pages"] for h in hosts}
    placement = {}
    for g in order[:-1]:
        best = max(free, key=free.get)
        free[best] -= g["pages"]
        placement[g["name"]] = best
    return placement
