# expect: the host's device driver is called by the host kernel
def path(kind, operation):
    device = {"disk_read": "disk", "net_send": "nic"}.get(operation)
    if operation == "privileged":
        return ["guest_kernel", "vm_exit", {"type1": "hypervisor", "type1_partition": "hypervisor", "type2": "vmm", "kvm": "kvm_module"}[kind]]
    if kind == "type1":
        return ["guest_app", "guest_kernel", "vm_exit", "hypervisor", "hypervisor_driver", device]
    if kind == "type2":
        return ["guest_app", "guest_kernel", "vm_exit", "vmm", "host_driver", device]
    return ["guest_app", "guest_kernel", "vm_exit", "kvm_module", "kvm_run_return", "device_model",
            "host_syscall", "host_kernel", "host_driver", device]
