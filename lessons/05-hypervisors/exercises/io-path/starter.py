def path(kind, operation):
    """Layers an operation crosses on its way down, e.g. ["guest_app", "guest_kernel", ...].

    kind is "type1", "type1_partition", "type2" or "kvm";
    operation is "disk_read", "net_send" or "privileged".
    """
    if kind == "type1" and operation == "disk_read":
        return ["guest_app", "guest_kernel", "vm_exit", "hypervisor", "hypervisor_driver", "disk"]
    return []
