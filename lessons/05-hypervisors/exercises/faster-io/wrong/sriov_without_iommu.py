# expect: confines it to this guest's memory
def predict(kind, io, slow_path, costs):
    # Misconception: with SR-IOV the guest talks to the card and nothing else is involved.
    if io == "vhost":
        if kind != "kvm":
            return None
        path = [l for l in slow_path if l not in ("kvm_run_return", "device_model", "host_syscall")]
        path.insert(path.index("kvm_module") + 1, "vhost")
    else:
        if kind == "type2":
            return None
        path = ["guest_app", "guest_kernel", "nic"]
    return {"path": path, "saved": sum(costs[l] for l in slow_path) - sum(costs[l] for l in path)}
