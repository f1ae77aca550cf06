# expect: read the cycles from the events, not from a table
COST = {"guest_app": 50, "guest_kernel": 800, "vm_exit": 1200, "hypervisor": 400,
        "hypervisor_driver": 1500, "partition_switch": 2500, "backend_driver": 1000,
        "partition_driver": 600, "vmm": 400, "world_switch": 4000, "host_vmm_driver": 300,
        "vmm_app": 2000, "kvm_module": 400, "kvm_run_return": 1500, "device_model": 2000,
        "host_syscall": 700, "host_kernel": 1500, "host_driver": 600, "disk": 90000, "nic": 5000}
NATIVE = {"disk_read": ["guest_app", "guest_kernel", "disk"],
          "net_send": ["guest_app", "guest_kernel", "nic"], "privileged": ["guest_kernel"]}


def overhead(events, operation):
    # Uses the textbook cost of each layer instead of what this trace measured.
    layers = [e["layer"] for e in events if e["kind"] == "layer.enter" and e["dir"] == "down"]
    total = sum(COST[l] for l in layers)
    native = sum(COST[l] for l in layers if l in NATIVE[operation])
    per_layer = {l: COST[l] for l in layers if l not in NATIVE[operation]}
    return {"per_layer": per_layer, "total": total, "native": native,
            "overhead": total - native, "dominant": max(per_layer, key=per_layer.get)}
