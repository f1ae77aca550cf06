# The layers vhost-net no longer needs: the return to user space and everything done from there.
USER_SPACE_ROAD = ("kvm_run_return", "device_model", "host_syscall")


def predict(kind, io, slow_path, costs):
    if io == "vhost":
        if kind != "kvm":
            return None
        path = [layer for layer in slow_path if layer not in USER_SPACE_ROAD]
        path.insert(path.index("kvm_module") + 1, "vhost")
    else:
        if kind == "type2":
            return None
        path = ["guest_app", "guest_kernel", "iommu", "nic"]
    saved = sum(costs[layer] for layer in slow_path) - sum(costs[layer] for layer in path)
    return {"path": path, "saved": saved}
