# expect: the next guest does not
def spec(host, workload):
    # "Bigger is safer": takes everything that is left, leaving nothing for the next guest.
    free = {"vcpus": host["cores"], "memory_pages": host["memory_pages"] - host["hypervisor_pages"],
            "disk_blocks": host["disk_blocks"], "nic_mbps": host["nic_mbps"]}
    for g in host["guests"]:
        for k in free:
            free[k] -= g[k]
    return free
