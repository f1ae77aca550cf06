def ffd(vms, hosts, place):
    """Place every guest with First-Fit-Decreasing; return the number of hosts used.

    vms:   [{"name": "v00", "vcpus": 1, "pages": 51}, ...]
    hosts: [{"name": "h0", "cores": 8, "pages": 100}, ...]   (in First Fit's order)
    place(vm_name, host_name) reserves the guest on that host in the model.
    """
    for vm in vms:  # in which order should the guests be placed?
        place(vm["name"], hosts[0]["name"])  # does it still fit there?
    return 1
