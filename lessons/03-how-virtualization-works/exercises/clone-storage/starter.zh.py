def predict_storage(plan):
    """不运行 `plan`，预测它会用掉多少存储。

    plan["steps"] 按顺序列出：
        ["write", guest, [block, ...]]   这台客户机写入这些磁盘块
        ["clone", parent, name]          从 `parent` 制作一个链接克隆 `name`
    """
    per_guest = {plan["golden"]: 0}
    total = 0
    for step in plan["steps"]:
        if step[0] == "write":
            per_guest[step[1]] += len(step[2])  # 每次写入都是一个新块吗？
        else:
            per_guest[step[2]] = 0  # 父虚拟机的磁盘又会怎样？
    total = sum(per_guest.values())  # 客户机自己的增量之外，还存储了别的东西吗？
    return {"per_guest": per_guest, "total": total}
