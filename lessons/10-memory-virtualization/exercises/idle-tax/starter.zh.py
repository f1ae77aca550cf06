def allocate(total_pages, clients, tau):
    """从 rho = S / (P * (f + k * (1 - f))) 最低的客户那里回收之后，每个客户得到的页数。"""
    # 第一次尝试：每个客户都保留它要求的页数。如果这比机器拥有的还多呢？
    return {c["name"]: c["max_pages"] for c in clients}
