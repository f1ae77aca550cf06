# expect: a host earlier in the list also has room
def first_fit(vm, hosts):
    # Misconception: First Fit keeps to the hosts already powered on while any has room.
    for host in sorted(hosts, key=lambda h: not h["on"]):
        if host["free_pages"] >= vm["pages"] and host["free_vcpus"] >= vm["vcpus"]:
            return host["name"]
    return None
