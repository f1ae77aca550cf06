def predict(kind, io, slow_path, costs):
    """预测一次更快的网络发送：它向下经过的各层，以及省下的周期数。

    kind 是 "type1"、"type1_partition"、"type2" 或 "kvm"；io 是 "vhost" 或 "sriov"。
    slow_path 是这种设计的普通网络发送经过的各层，例如
        ["guest_app", "guest_kernel", "vm_exit", "kvm_module", ...]
    costs 是这台机器上模型中每一层的周期数，例如 costs["vm_exit"] == 1200。
    如果这种设计没有这样的路径，返回 None；否则返回 {"path": [...], "saved": 周期数}。
    """
    path = list(slow_path)  # 这些层里哪些仍然需要？又多了什么？
    return {"path": path, "saved": 0}
