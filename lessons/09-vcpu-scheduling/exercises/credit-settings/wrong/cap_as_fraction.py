# expect: whole number
def configure(pcpus, domains):
    busy = sum(d["target"] for d in domains) >= pcpus - 1e-9
    return {
        d["name"]: {
            "weight": max(1, round(256 * d["target"] / d["vcpus"])),
            "cap": 0 if busy else d["target"],
        }
        for d in domains
    }
