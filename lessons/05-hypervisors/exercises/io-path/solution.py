GUEST = ["guest_app", "guest_kernel", "vm_exit"]
HOST_IO = ["host_syscall", "host_kernel", "host_driver"]
DEVICE = {"disk_read": "disk", "net_send": "nic"}


def path(kind, operation):
    if operation == "privileged":
        handler = {"type1": "hypervisor", "type2": "vmm", "kvm": "kvm_module"}[kind]
        return ["guest_kernel", "vm_exit", handler]
    device = DEVICE[operation]
    if kind == "type1":
        return GUEST + ["hypervisor", device]
    if kind == "type2":
        return GUEST + ["vmm", "world_switch", "host_vmm_driver", "vmm_app"] + HOST_IO + [device]
    return GUEST + ["kvm_module", "kvm_run_return", "device_model"] + HOST_IO + [device]
