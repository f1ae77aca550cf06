def spec(host, workload):
    """Return a VM spec that the host admits and that meets the workload, or None.

    host: {"cores", "memory_pages", "disk_blocks", "nic_mbps", "hypervisor_pages",
           "guests": [spec, ...] already carved, "next": spec that must still fit after, or None}
    workload: {"threads", "os_pages", "app_pages", "os_blocks", "data_blocks", "mbps"}
    """
    # A first guess: ask for what the application needs. Is that all a VM must hold?
    # And is that much still free on this host?
    return {
        "vcpus": workload["threads"],
        "memory_pages": workload["app_pages"],
        "disk_blocks": workload["data_blocks"],
        "nic_mbps": workload["mbps"],
    }
