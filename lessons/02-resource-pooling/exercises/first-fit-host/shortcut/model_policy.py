from tutor.sim import Host, ResourcePool, VmSpec


def first_fit(vm, hosts):
    pool = ResourcePool(Host(h["name"], cores=max(1, h["free_vcpus"]), memory_pages=max(1, h["free_pages"])) for h in hosts)
    return pool.place(VmSpec(vm["name"], vm["vcpus"], vm["pages"]))
