def relieve(hosts, threshold, migrate):
    """实时迁移客户机，直到没有宿主机的 CPU 利用率超过 threshold，迁移的内存越少越好。

    hosts: [{"name": "h0", "cores": 4, "pages": 100,
             "guests": [{"name": "db", "vcpus": 2, "pages": 40, "load": 1.0}, ...]}, ...]
    宿主机的利用率是 sum(vcpus * load) / cores。threshold 为 0.7 表示 70 %。
    migrate(vm_name, host_name) 把一台客户机实时迁移到另一台宿主机。
    """
    for h in hosts:
        busy = sum(g["vcpus"] * g["load"] for g in h["guests"])
        if busy / h["cores"] > threshold and h["guests"]:
            # 迁移哪台客户机代价最低？它能迁到哪里？
            migrate(h["guests"][0]["name"], hosts[-1]["name"])
