# expect: holds the guest operating system as well as
def spec(host, workload):
    free = {"vcpus": host["cores"], "memory_pages": host["memory_pages"] - host["hypervisor_pages"],
            "disk_blocks": host["disk_blocks"], "nic_mbps": host["nic_mbps"]}
    for g in host["guests"] + ([host["next"]] if host["next"] else []):
        for k in free:
            free[k] -= g[k]
    # Sizes the VM for the application only, as if the guest OS took no room.
    want = {"vcpus": workload["threads"], "memory_pages": workload["app_pages"],
            "disk_blocks": workload["data_blocks"], "nic_mbps": workload["mbps"]}
    return want if all(want[k] <= free[k] for k in free) else None
