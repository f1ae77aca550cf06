# expect: the device itself is not virtualization overhead: a native machine waits for the disk too
def overhead(events, operation):
    # Misconception: everything outside the guest is overhead, the disk included.
    total = native = 0
    per_layer = {}
    for e in events:
        if e["kind"] == "layer.enter" and e["dir"] == "down":
            total += e["cycles"]
            if e["layer"].startswith("guest_"):
                native += e["cycles"]
            else:
                per_layer[e["layer"]] = e["cycles"]
    return {"per_layer": per_layer, "total": total, "native": native,
            "overhead": total - native, "dominant": max(per_layer, key=per_layer.get)}
