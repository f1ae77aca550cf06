# expect: a native machine never traps out of a guest
NATIVE = {"disk_read": ["guest_app", "guest_kernel", "disk"],
          "net_send": ["guest_app", "guest_kernel", "nic"], "privileged": ["guest_kernel"]}
CPU_TRANSITIONS = {"vm_exit", "world_switch", "kvm_run_return"}


def overhead(events, operation):
    # Misconception: only software is overhead; the CPU's mode switches are "free".
    total = native = 0
    per_layer = {}
    for e in events:
        if e["kind"] == "layer.enter" and e["dir"] == "down":
            total += e["cycles"]
            if e["layer"] in NATIVE[operation]:
                native += e["cycles"]
            elif e["layer"] not in CPU_TRANSITIONS:
                per_layer[e["layer"]] = e["cycles"]
    return {"per_layer": per_layer, "total": total, "native": native,
            "overhead": total - native, "dominant": max(per_layer, key=per_layer.get)}
