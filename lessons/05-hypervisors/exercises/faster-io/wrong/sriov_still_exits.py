# expect: no VM exit on the data path
def predict(kind, io, slow_path, costs):
    # Misconception: the guest's send to its virtual function still traps, the hypervisor just
    # skips its own drivers.
    if io == "vhost":
        if kind != "kvm":
            return None
        path = [l for l in slow_path if l not in ("kvm_run_return", "device_model", "host_syscall")]
        path.insert(path.index("kvm_module") + 1, "vhost")
    else:
        if kind == "type2":
            return None
        path = slow_path[:4] + ["iommu", "nic"]
    return {"path": path, "saved": sum(costs[l] for l in slow_path) - sum(costs[l] for l in path)}
