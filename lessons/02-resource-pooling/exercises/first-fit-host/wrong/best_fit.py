# expect: a host earlier in the list also has room
def first_fit(vm, hosts):
    # Misconception: First Fit means the host it fits best.
    fitting = [h for h in hosts if h["free_vcpus"] >= vm["vcpus"] and h["free_pages"] >= vm["pages"]]
    if not fitting:
        return None
    return min(fitting, key=lambda h: h["free_pages"] - vm["pages"])["name"]
