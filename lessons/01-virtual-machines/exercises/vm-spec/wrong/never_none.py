# expect: the hypervisor divides the hardware, it never creates more of it
def spec(host, workload):
    # Always asks for what the workload needs, even where the host cannot give it.
    return {"vcpus": workload["threads"], "memory_pages": workload["os_pages"] + workload["app_pages"],
            "disk_blocks": workload["os_blocks"] + workload["data_blocks"], "nic_mbps": workload["mbps"]}
