NATIVE_PATHS = {
    "disk_read": ["guest_app", "guest_kernel", "disk"],
    "net_send": ["guest_app", "guest_kernel", "nic"],
    "privileged": ["guest_kernel"],
}


def overhead(events, operation):
    """Split the cycles of one virtualized operation into native work and per-layer overhead.

    events: the trace of the operation, e.g.
        {"kind": "layer.enter", "layer": "vm_exit", "dir": "down", "cycles": 1200}
    """
    total = 0
    per_layer = {}
    for event in events:
        if event["kind"] == "layer.enter":
            pass  # add up the cycles; which layers would a native machine also cross?
    return {
        "per_layer": per_layer,
        "total": total,
        "native": 0,
        "overhead": 0,
        "dominant": None,
    }
