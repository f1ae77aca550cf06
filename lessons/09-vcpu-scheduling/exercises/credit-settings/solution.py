def configure(pcpus, domains):
    busy = sum(d["target"] for d in domains) >= pcpus - 1e-9
    settings = {}
    for d in domains:
        # Xen counts a weight once per active vCPU, so divide the target by the vCPUs.
        weight = max(1, round(256 * d["target"] / d["vcpus"]))
        # On an idle host nothing competes: only a cap holds a domain to its target.
        cap = 0 if busy or d["target"] >= d["vcpus"] else round(100 * d["target"])
        settings[d["name"]] = {"weight": weight, "cap": cap}
    return settings
