NATIVE_PATHS = {
    "disk_read": ["guest_app", "guest_kernel", "disk"],
    "net_send": ["guest_app", "guest_kernel", "nic"],
    "privileged": ["guest_kernel"],
}


def overhead(events, operation):
    """把一次虚拟化操作的周期数分成原生工作和各层的开销。

    events：这次操作的跟踪记录，其中的一个事件例如
        {"kind": "layer.enter", "layer": "vm_exit", "dir": "down", "cycles": 1200}
    """
    total = 0
    per_layer = {}
    for event in events:
        if event["kind"] == "layer.enter":
            pass  # 把周期数加起来；原生机器也会经过其中哪些层？
    return {
        "per_layer": per_layer,
        "total": total,
        "native": 0,
        "overhead": 0,
        "dominant": None,
    }
