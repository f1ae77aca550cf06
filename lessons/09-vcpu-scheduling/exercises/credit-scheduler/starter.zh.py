def account(vcpus, pcpus):
    """每 30 毫秒调用一次：返回 {vCPU 名字: 它得到的信用值}，按每个物理 CPU 300 个来分配。"""
    earned = {}
    for vcpu in vcpus:
        # 每个 vcpu 都有这些键：name、domain、weight、cap、active、credit
        if vcpu["active"]:
            earned[vcpu["name"]] = 0  # 现在什么都不发：每个 vCPU 都会陷入负债
    return earned


def pick(run_queue):
    """返回下一个要运行的 vCPU 的名字；run_queue 从不为空，队首在前。"""
    # 每个 vcpu 都有这些键：name、domain、credit、boost
    return run_queue[0]["name"]  # 队首的 vCPU，不管它是什么优先级
