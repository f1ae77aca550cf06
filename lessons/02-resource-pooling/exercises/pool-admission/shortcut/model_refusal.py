from tutor.sim import Host, ResourcePool, VmSpec


def admit(hosts, vm):
    pool = ResourcePool(Host(h["name"], cores=h["cores"], memory_pages=h["pages"]) for h in hosts)
    for h in hosts:
        used_v, used_p = h["cores"] - h["free_vcpus"], h["pages"] - h["free_pages"]
        if used_v or used_p:
            pool.place(VmSpec("used-" + h["name"], max(1, used_v), max(1, used_p)), lambda v, hs, n=h["name"]: n)
    reason = pool.refusal(VmSpec(vm["name"], vm["vcpus"], vm["pages"]))
    return {
        "capacity": {"vcpus": pool.capacity_vcpus, "pages": pool.capacity_pages},
        "headroom": dict(zip(("vcpus", "pages"), pool.headroom())),
        "verdict": reason or "admit",
    }
