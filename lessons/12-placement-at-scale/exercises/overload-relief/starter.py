def relieve(hosts, threshold, migrate):
    """Live-migrate guests until no host's CPU utilization is above threshold, moving as
    little memory as you can.

    hosts: [{"name": "h0", "cores": 4, "pages": 100,
             "guests": [{"name": "db", "vcpus": 2, "pages": 40, "load": 1.0}, ...]}, ...]
    A host's utilization is sum(vcpus * load) / cores. threshold: 0.7 means 70 %.
    migrate(vm_name, host_name) live-migrates a guest to another host.
    """
    for h in hosts:
        busy = sum(g["vcpus"] * g["load"] for g in h["guests"])
        if busy / h["cores"] > threshold and h["guests"]:
            # which guest is cheapest to move, and where can it go?
            migrate(h["guests"][0]["name"], hosts[-1]["name"])
