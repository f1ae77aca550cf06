# expect: read them from costs
TABLE = {"guest_app": 50, "guest_kernel": 800, "vm_exit": 1200, "hypervisor": 400,
         "hypervisor_driver": 1500, "partition_switch": 2500, "backend_driver": 1000,
         "partition_driver": 600, "vmm": 400, "world_switch": 4000, "host_vmm_driver": 300,
         "vmm_app": 2000, "kvm_module": 400, "kvm_run_return": 1500, "device_model": 2000,
         "host_syscall": 700, "vhost": 800, "host_kernel": 1500, "host_driver": 600,
         "iommu": 200, "disk": 90000, "nic": 5000}


def predict(kind, io, slow_path, costs):
    # Right paths, but the cycles come from the lesson's table instead of this machine.
    if io == "vhost":
        if kind != "kvm":
            return None
        path = [l for l in slow_path if l not in ("kvm_run_return", "device_model", "host_syscall")]
        path.insert(path.index("kvm_module") + 1, "vhost")
    else:
        if kind == "type2":
            return None
        path = ["guest_app", "guest_kernel", "iommu", "nic"]
    return {"path": path, "saved": sum(TABLE[l] for l in slow_path) - sum(TABLE[l] for l in path)}
