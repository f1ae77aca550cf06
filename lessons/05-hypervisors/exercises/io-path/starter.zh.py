def path(kind, operation):
    """返回一次操作向下经过的各层，例如 ["guest_app", "guest_kernel", ...]。

    kind 是 "type1"、"type1_partition"、"type2" 或 "kvm"；
    operation 是 "disk_read"、"net_send" 或 "privileged"。
    """
    if kind == "type1" and operation == "disk_read":
        return ["guest_app", "guest_kernel", "vm_exit", "hypervisor", "hypervisor_driver", "disk"]
    return []
