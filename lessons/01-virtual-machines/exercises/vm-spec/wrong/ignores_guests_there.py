# expect: the host refused your spec
def spec(host, workload):
    # Counts the whole host as free, forgetting the guests already carved out of it.
    free = {"vcpus": host["cores"], "memory_pages": host["memory_pages"] - host["hypervisor_pages"],
            "disk_blocks": host["disk_blocks"], "nic_mbps": host["nic_mbps"]}
    if host["next"]:
        for k in free:
            free[k] -= host["next"][k]
    want = {"vcpus": workload["threads"], "memory_pages": workload["os_pages"] + workload["app_pages"],
            "disk_blocks": workload["os_blocks"] + workload["data_blocks"], "nic_mbps": workload["mbps"]}
    return want if all(want[k] <= free[k] for k in free) else None
