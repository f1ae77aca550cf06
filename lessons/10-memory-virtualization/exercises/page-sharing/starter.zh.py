def frames_used(guests, salts, writes):
    """预测 share() 之后以及写入之后使用的机器页框数。"""
    pages = sum(len(contents) for contents in guests.values())
    # 不共享时，每个页都有自己的页框。
    return {"after_share": pages, "after_writes": pages}
