# expect: KVM_RUN does not return to user space
def predict(kind, io, slow_path, costs):
    # Misconception: vhost-net only saves the system call; QEMU still handles the packet.
    if io == "vhost":
        if kind != "kvm":
            return None
        path = [l for l in slow_path if l != "host_syscall"]
    else:
        if kind == "type2":
            return None
        path = ["guest_app", "guest_kernel", "iommu", "nic"]
    return {"path": path, "saved": sum(costs[l] for l in slow_path) - sum(costs[l] for l in path)}
