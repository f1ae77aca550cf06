# expect: left: the hypervisor divides the hardware
def spec(host, workload):
    # Forgets the memory the hypervisor keeps for itself.
    free = {"vcpus": host["cores"], "memory_pages": host["memory_pages"],
            "disk_blocks": host["disk_blocks"], "nic_mbps": host["nic_mbps"]}
    for g in host["guests"] + ([host["next"]] if host["next"] else []):
        for k in free:
            free[k] -= g[k]
    want = {"vcpus": workload["threads"], "memory_pages": workload["os_pages"] + workload["app_pages"],
            "disk_blocks": workload["os_blocks"] + workload["data_blocks"], "nic_mbps": workload["mbps"]}
    return want if all(want[k] <= free[k] for k in free) else None
