def spec(host, workload):
    free = {
        "vcpus": host["cores"],
        "memory_pages": host["memory_pages"] - host["hypervisor_pages"],
        "disk_blocks": host["disk_blocks"],
        "nic_mbps": host["nic_mbps"],
    }
    for guest in host["guests"]:
        for key in free:
            free[key] -= guest[key]
    want = {
        "vcpus": workload["threads"],
        "memory_pages": workload["os_pages"] + workload["app_pages"],
        "disk_blocks": workload["os_blocks"] + workload["data_blocks"],
        "nic_mbps": workload["mbps"],
    }
    keep = host["next"] or {key: 0 for key in free}
    for key in free:
        if want[key] + keep[key] > free[key]:
            return None
    return want
