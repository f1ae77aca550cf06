from tutor.sim import Disk, Host, IsolationViolation, Nic, SlicedHost


def translate(layout, guest, resource, address):
    gs = layout["guests"]
    host = SlicedHost(Host("h", cores=len(gs), memory_pages=layout["hypervisor_pages"] + sum(g["memory_pages"] for g in gs) + 1,
                           disks=(Disk("d", sum(g["disk_blocks"] for g in gs)),), nics=(Nic("n", 1),)),
                      hypervisor_pages=layout["hypervisor_pages"])
    for g in gs:
        host.carve(g["name"], 1, g["memory_pages"], g["disk_blocks"], 0)
    try:
        return host.host_address(guest, resource, address)
    except IsolationViolation:
        return None
