# expect: exactly fills
def first_fit(vm, hosts):
    # Misconception: a host must have more than the guest asks for.
    for host in hosts:
        if host["free_vcpus"] > vm["vcpus"] and host["free_pages"] > vm["pages"]:
            return host["name"]
    for host in hosts:
        if host["free_vcpus"] >= vm["vcpus"] and host["free_pages"] >= vm["pages"]:
            return host["name"]
    return None
