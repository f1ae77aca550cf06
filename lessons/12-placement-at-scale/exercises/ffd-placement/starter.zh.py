def ffd(vms, hosts, place):
    """用首次适应递减放置每一台客户机；返回用到的宿主机数量。

    vms:   [{"name": "v00", "vcpus": 1, "pages": 51}, ...]
    hosts: [{"name": "h0", "cores": 8, "pages": 100}, ...]   （按首次适应的顺序）
    place(vm_name, host_name) 在模型中把这台客户机预留到那台宿主机上。
    """
    for vm in vms:  # 客户机应该按什么顺序放置？
        place(vm["name"], hosts[0]["name"])  # 那里还放得下吗？
    return 1
