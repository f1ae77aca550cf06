def ffd(vms, hosts, place):
    free = {h["name"]: [h["cores"], h["pages"]] for h in hosts}
    # Largest first: most memory, then most vCPUs, then by name.
    for vm in sorted(vms, key=lambda v: (-v["pages"], -v["vcpus"], v["name"])):
        for h in hosts:
            cores, pages = free[h["name"]]
            if vm["vcpus"] <= cores and vm["pages"] <= pages:
                place(vm["name"], h["name"])
                free[h["name"]] = [cores - vm["vcpus"], pages - vm["pages"]]
                break
    return sum(1 for h in hosts if free[h["name"]] != [h["cores"], h["pages"]])
