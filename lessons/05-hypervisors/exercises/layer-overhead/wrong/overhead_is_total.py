# expect: must be total - native
NATIVE = {"disk_read": ["guest_app", "guest_kernel", "disk"],
          "net_send": ["guest_app", "guest_kernel", "nic"], "privileged": ["guest_kernel"]}


def overhead(events, operation):
    total = native = 0
    per_layer = {}
    for e in events:
        if e["kind"] == "layer.enter" and e["dir"] == "down":
            total += e["cycles"]
            if e["layer"] in NATIVE[operation]:
                native += e["cycles"]
            else:
                per_layer[e["layer"]] = e["cycles"]
    # Forgets that the native work would have been spent anyway.
    return {"per_layer": per_layer, "total": total, "native": native,
            "overhead": total, "dominant": max(per_layer, key=per_layer.get)}
