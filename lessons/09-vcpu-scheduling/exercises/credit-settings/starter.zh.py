def configure(pcpus, domains):
    """返回 {name: {"weight": ..., "cap": ...}}，使每个域得到它的目标。"""
    settings = {}
    for domain in domains:
        # 每个域一开始都是 Xen 的默认值：权重 256，无上限。
        settings[domain["name"]] = {"weight": 256, "cap": 0}
    return settings
