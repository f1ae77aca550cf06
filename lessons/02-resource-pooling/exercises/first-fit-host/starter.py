def first_fit(vm, hosts):
    """The host First Fit chooses for vm: its name, or None if no host has room."""
    for host in hosts:
        return host["name"]  # is there room on this host?
    return None
