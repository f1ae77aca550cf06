def spec(host, workload):
    """返回一份宿主机能够接纳、又能满足工作负载的虚拟机规格；做不到就返回 None。

    host：{"cores", "memory_pages", "disk_blocks", "nic_mbps", "hypervisor_pages",
           "guests": 已经切分出去的规格列表, "next": 之后还必须放得下的规格，或 None}
    workload：{"threads", "os_pages", "app_pages", "os_blocks", "data_blocks", "mbps"}
    """
    # 先猜一个：按应用程序的需要来申请。虚拟机里只需要装下这些吗？
    # 这台宿主机上还剩这么多吗？
    return {
        "vcpus": workload["threads"],
        "memory_pages": workload["app_pages"],
        "disk_blocks": workload["data_blocks"],
        "nic_mbps": workload["mbps"],
    }
