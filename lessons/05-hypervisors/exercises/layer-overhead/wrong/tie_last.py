# expect: on a tie, the first one on the way down
NATIVE_PATHS = {
    "disk_read": ["guest_app", "guest_kernel", "disk"],
    "net_send": ["guest_app", "guest_kernel", "nic"],
    "privileged": ["guest_kernel"],
}


def overhead(events, operation):
    native_layers = NATIVE_PATHS[operation]
    total = native = 0
    per_layer = {}
    for event in events:
        if event["kind"] != "layer.enter" or event["dir"] != "down":
            continue
        layer, cycles = event["layer"], event["cycles"]
        total += cycles
        if layer in native_layers:
            native += cycles
        else:
            per_layer[layer] = per_layer.get(layer, 0) + cycles
    dominant = None
    for layer, cycles in per_layer.items():
        if dominant is None or cycles >= per_layer[dominant]:  # the last one takes a tie
            dominant = layer
    return {
        "per_layer": per_layer,
        "total": total,
        "native": native,
        "overhead": total - native,
        "dominant": dominant,
    }
