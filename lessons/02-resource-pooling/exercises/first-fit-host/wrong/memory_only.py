# expect: both its free vCPUs and its free pages
def first_fit(vm, hosts):
    # Misconception: memory is all that matters.
    for host in hosts:
        if host["free_pages"] >= vm["pages"]:
            return host["name"]
    return None
