PAGE_MB = 4096 / 1_000_000  # 一个 4 KiB 的页，单位 MB


def migrate(link, workload):
    """用预复制迁移一台正在运行的客户机，再把各轮与 V_i = M·(d/B)^i 比较。

    link.send(mb) 在客户机运行时发送 mb，返回这段时间里它写脏的 MB 数。
    link.stop_and_copy(mb, reason) 暂停客户机并发送剩下的内容；reason 是
    "converged"、"max_rounds"、"max_sent" 或 "clean"。
    workload: {"memory_mb": 1024.0, "dirty_mbps": 100.0, "bandwidth_mbps": 1000.0,
               "rules": "xen-v2"}   # 或 "xen-4.5"
    """
    memory = workload["memory_mb"]
    dirtied = link.send(memory)  # 第 0 轮：全部内存
    # TODO：不断发送被写脏的内容，直到停止规则要求停下
    link.stop_and_copy(dirtied, "max_rounds")

    closed_form = [memory]  # TODO：每一轮实时复制的 V_i
    return {"closed_form_mb": closed_form, "departs_at": None}
