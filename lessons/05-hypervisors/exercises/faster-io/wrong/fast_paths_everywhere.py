# expect: has no vhost path
def predict(kind, io, slow_path, costs):
    # Misconception: every hypervisor can use vhost-net and SR-IOV.
    if io == "vhost":
        path = [l for l in slow_path if l not in ("kvm_run_return", "device_model", "host_syscall")]
        path.insert(3 if "kvm_module" not in path else path.index("kvm_module") + 1, "vhost")
    else:
        path = ["guest_app", "guest_kernel", "iommu", "nic"]
    return {"path": path, "saved": sum(costs[l] for l in slow_path) - sum(costs[l] for l in path)}
