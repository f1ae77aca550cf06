# expect: is not part of a type1_partition stack
GUEST = ["guest_app", "guest_kernel", "vm_exit"]
HOST = ["host_syscall", "host_kernel", "host_driver"]


def path(kind, operation):
    # Misconception: every type 1 hypervisor drives the hardware itself, Xen and Hyper-V included.
    if operation == "privileged":
        return ["guest_kernel", "vm_exit", {"type2": "vmm", "kvm": "kvm_module"}.get(kind, "hypervisor")]
    device = {"disk_read": "disk", "net_send": "nic"}[operation]
    if kind in ("type1", "type1_partition"):
        return GUEST + ["hypervisor", "hypervisor_driver", device]
    if kind == "type2":
        return GUEST + ["vmm", "world_switch", "host_vmm_driver", "vmm_app"] + HOST + [device]
    return GUEST + ["kvm_module", "kvm_run_return", "device_model"] + HOST + [device]
