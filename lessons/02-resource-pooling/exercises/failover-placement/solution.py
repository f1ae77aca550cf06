def plan(hosts, guests):
    """Spread the guests, largest first, onto the host with the most memory left; then check by
    hand that every host's guests restart First Fit on the others, and try another order if not."""
    orders = [
        sorted(guests, key=lambda g: (-g["pages"], -g["vcpus"], g["name"])),
        sorted(guests, key=lambda g: (-g["vcpus"], -g["pages"], g["name"])),
    ]
    for order in orders:
        for key in (_most_pages, _most_vcpus):
            placement = _spread(hosts, order, key)
            if placement and all(_restarts(hosts, guests, placement, h["name"]) for h in hosts):
                return placement
    return _spread(hosts, orders[0], _most_pages) or {}


def _most_pages(free, name):
    return (free[name][1], free[name][0])


def _most_vcpus(free, name):
    return (free[name][0], free[name][1])


def _spread(hosts, order, key):
    free = {h["name"]: [h["cores"], h["pages"]] for h in hosts}
    placement = {}
    for g in order:
        fitting = [n for n in free if free[n][0] >= g["vcpus"] and free[n][1] >= g["pages"]]
        if not fitting:
            return None
        best = max(fitting, key=lambda n: key(free, n))
        free[best][0] -= g["vcpus"]
        free[best][1] -= g["pages"]
        placement[g["name"]] = best
    return placement


def _restarts(hosts, guests, placement, failed):
    """Do all of `failed`'s guests restart First Fit (largest first) on the surviving hosts?"""
    free = {h["name"]: [h["cores"], h["pages"]] for h in hosts if h["name"] != failed}
    for g in guests:
        if placement[g["name"]] != failed:
            free[placement[g["name"]]][0] -= g["vcpus"]
            free[placement[g["name"]]][1] -= g["pages"]
    stopped = [g for g in guests if placement[g["name"]] == failed]
    for g in sorted(stopped, key=lambda g: (-g["pages"], -g["vcpus"], g["name"])):
        target = next(
            (n for n in free if free[n][0] >= g["vcpus"] and free[n][1] >= g["pages"]), None
        )
        if target is None:
            return False
        free[target][0] -= g["vcpus"]
        free[target][1] -= g["pages"]
    return True
