def first_fit(vm, hosts):
    """首次适应为 vm 选中的宿主机：返回它的名字；如果没有宿主机放得下，返回 None。"""
    for host in hosts:
        return host["name"]  # 这台宿主机放得下吗？
    return None
