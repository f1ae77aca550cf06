from tutor.sim import Disk, Host, Nic, SlicedHost, IsolationViolation


def predict(guests, ops):
    host = SlicedHost(Host("h", cores=len(guests), memory_pages=8 + sum(g["memory_pages"] for g in guests.values()),
                           disks=(Disk("d", sum(g["disk_blocks"] for g in guests.values())),), nics=(Nic("n", 1),)),
                      hypervisor_pages=8)
    for name, g in guests.items():
        host.carve(name, 1, g["memory_pages"], g["disk_blocks"], 0)
    seen = []
    for op in ops:
        try:
            if op[0] == "restart":
                host.restart(op[1])
            elif op[0] == "write":
                host.write(*op[1:])
            else:
                seen.append(host.read(*op[1:]))
        except IsolationViolation:
            if op[0] == "read":
                seen.append("refused")
    return seen
