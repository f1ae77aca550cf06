# expect: only a cap
def configure(pcpus, domains):
    return {
        d["name"]: {"weight": max(1, round(256 * d["target"] / d["vcpus"])), "cap": 0}
        for d in domains
    }
