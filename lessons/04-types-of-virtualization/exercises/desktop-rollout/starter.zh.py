def roll_update(pool, patches):
    """让池中的每台虚拟桌面都更新到最新，然后统一检查。

    pool.version：黄金镜像的版本；pool.desktops：所有桌面（链接克隆）。
    pool.push_update(blocks)：用 {block: value} 构建下一个镜像版本，并把每台桌面重新组合到它上面。
    pool.audit(block, value)：返回系统盘这个数据块与 value 不同的桌面。
    patches：[{"version": 3, "blocks": {5: 42}}, ...]，顺序不定。
    返回你的安全检查发现的不合格桌面的名字。
    """
    for patch in patches:
        for desktop in pool.desktops:  # 一台一台地改……桌面有 200 台时还行得通吗？
            for block, value in patch["blocks"].items():
                desktop.write_disk("os", block, value)
    return []
