from tutor.sim import Host, ResourcePool, VmSpec


def ffd(vms, hosts, place):
    shadow = ResourcePool([Host(h["name"], h["cores"], h["pages"]) for h in hosts])
    specs = [VmSpec(v["name"], v["vcpus"], v["pages"]) for v in vms]
    where = shadow.place_all(specs, "first_fit_decreasing")
    order = sorted(specs, key=lambda v: (-v.memory_pages, -v.vcpus, v.name))
    for vm in order:
        place(vm.name, shadow.host_of(vm.name))
    return shadow.hosts_on()
