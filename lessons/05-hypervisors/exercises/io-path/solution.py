GUEST = ["guest_app", "guest_kernel", "vm_exit"]
HOST_IO = ["host_syscall", "host_kernel", "host_driver"]
DEVICE = {"disk_read": "disk", "net_send": "nic"}
HANDLER = {
    "type1": "hypervisor",
    "type1_partition": "hypervisor",
    "type2": "vmm",
    "kvm": "kvm_module",
}


def path(kind, operation):
    if operation == "privileged":
        return ["guest_kernel", "vm_exit", HANDLER[kind]]
    device = DEVICE[operation]
    if kind == "type1":
        return GUEST + ["hypervisor", "hypervisor_driver", device]
    if kind == "type1_partition":
        return GUEST + [
            "hypervisor",
            "partition_switch",
            "backend_driver",
            "partition_driver",
            device,
        ]
    if kind == "type2":
        return GUEST + ["vmm", "world_switch", "host_vmm_driver", "vmm_app"] + HOST_IO + [device]
    return GUEST + ["kvm_module", "kvm_run_return", "device_model"] + HOST_IO + [device]
