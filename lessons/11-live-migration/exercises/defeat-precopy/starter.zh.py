PAGE_MB = 4096 / 1_000_000  # 一个 4 KiB 的页，单位 MB


def design(link):
    """设计一个最温和、却让迁移的暂停时间超出预算的工作负载，并预测预复制在放弃之前
    进行了几轮实时复制。

    link: {"memory_mb": 1024.0, "bandwidth_mbps": 1000.0, "rules": "xen-v2",
           "budget_ms": 100.0}
    返回 {"dirty_mbps": d, "rounds": 实时复制的轮数}。
    """
    dirty = link["bandwidth_mbps"]  # 暂停肯定太长了，但它是最温和的吗？
    rounds = 1  # 停机复制之前进行了几轮实时复制？
    return {"dirty_mbps": dirty, "rounds": rounds}
