def first_fit(vm, hosts):
    for host in hosts:
        if host["free_vcpus"] >= vm["vcpus"] and host["free_pages"] >= vm["pages"]:
            return host["name"]
    return None
