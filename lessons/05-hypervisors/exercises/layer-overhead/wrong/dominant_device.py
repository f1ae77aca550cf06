# expect: dominant is 'disk', but the device itself is not virtualization overhead
NATIVE = {"disk_read": ["guest_app", "guest_kernel", "disk"],
          "net_send": ["guest_app", "guest_kernel", "nic"], "privileged": ["guest_kernel"]}


def overhead(events, operation):
    total = native = 0
    per_layer = {}
    every_layer = {}
    for e in events:
        if e["kind"] == "layer.enter" and e["dir"] == "down":
            total += e["cycles"]
            every_layer[e["layer"]] = e["cycles"]
            if e["layer"] in NATIVE[operation]:
                native += e["cycles"]
            else:
                per_layer[e["layer"]] = e["cycles"]
    # Picks the most expensive layer of the whole path, not of the overhead.
    return {"per_layer": per_layer, "total": total, "native": native,
            "overhead": total - native, "dominant": max(every_layer, key=every_layer.get)}
