# expect: for the whole domain
def configure(pcpus, domains):
    busy = sum(d["target"] for d in domains) >= pcpus - 1e-9
    settings = {}
    for d in domains:
        weight = max(1, round(256 * d["target"] / d["vcpus"]))
        cap = 0 if busy or d["target"] >= d["vcpus"] else round(100 * d["target"] / d["vcpus"])
        settings[d["name"]] = {"weight": weight, "cap": cap}
    return settings
