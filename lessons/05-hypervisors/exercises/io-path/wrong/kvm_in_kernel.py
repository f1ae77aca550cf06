# expect: a user-space program that already holds the guest's request
HOST = ["host_syscall", "host_kernel", "host_driver"]


def path(kind, operation):
    device = {"disk_read": "disk", "net_send": "nic"}.get(operation)
    guest = ["guest_app", "guest_kernel", "vm_exit"]
    if operation == "privileged":
        return ["guest_kernel", "vm_exit", {"type1": "hypervisor", "type1_partition": "hypervisor", "type2": "vmm", "kvm": "kvm_module"}[kind]]
    if kind == "type1":
        return guest + ["hypervisor", "hypervisor_driver", device]
    if kind == "type2":
        return guest + ["vmm", "world_switch", "host_vmm_driver", "vmm_app"] + HOST + [device]
    return guest + ["kvm_module"] + HOST + [device]
