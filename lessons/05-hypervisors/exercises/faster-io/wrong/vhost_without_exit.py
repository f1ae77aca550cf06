# expect: removes the trip to user space, not the exit
def predict(kind, io, slow_path, costs):
    # Misconception: with vhost-net the guest never exits at all.
    if io == "vhost":
        if kind != "kvm":
            return None
        path = ["guest_app", "guest_kernel", "vhost", "host_kernel", "host_driver", "nic"]
    else:
        if kind == "type2":
            return None
        path = ["guest_app", "guest_kernel", "iommu", "nic"]
    return {"path": path, "saved": sum(costs[l] for l in slow_path) - sum(costs[l] for l in path)}
