# expect: pushed
def relieve(hosts, threshold, migrate):
    on = {h["name"]: list(h["guests"]) for h in hosts}
    cores = {h["name"]: h["cores"] for h in hosts}
    pages = {h["name"]: h["pages"] for h in hosts}

    def busy(name):
        return sum(g["vcpus"] * g["load"] for g in on[name])

    def fits(g, name):
        used_v = sum(x["vcpus"] for x in on[name])
        used_m = sum(x["pages"] for x in on[name])
        return used_v + g["vcpus"] <= cores[name] and used_m + g["pages"] <= pages[name]

    for h in hosts:
        name = h["name"]
        while busy(name) / cores[name] > threshold:
            # Each migration copies the guest's memory: try the smallest guests first.
            target = None
            for g in sorted(on[name], key=lambda g: (g["pages"], g["name"])):
                for other in hosts:
                    o = other["name"]
                    if (
                        o != name
                        and fits(g, o)
                    ):
                        target = (g, o)
                        break
                if target:
                    break
            if target is None:
                break
            g, o = target
            migrate(g["name"], o)
            on[name].remove(g)
            on[o].append(g)
