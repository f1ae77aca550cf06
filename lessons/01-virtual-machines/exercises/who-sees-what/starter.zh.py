def predict(guests, ops):
    """预测 ops 中每次读取看到的结果：一个值，或者 "refused"。

    guests：{"a": {"memory_pages": 8, "disk_blocks": 16}, ...}
    ops：["write", 客户机, 资源, 地址, 值]、["read", 客户机, 资源, 地址]
         或 ["restart", 客户机]；资源是 "memory" 或 "disk"。
    """
    seen = []
    memory = {}  # 一台机器，一份内存……真的是这样吗？
    for op in ops:
        if op[0] == "write":
            memory[(op[2], op[3])] = op[4]
        elif op[0] == "read":
            seen.append(memory.get((op[2], op[3]), 0))
    return seen
