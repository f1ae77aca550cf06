# expect: the order of the questions matters
def admit(hosts, vm):
    capacity = {"vcpus": sum(h["cores"] for h in hosts), "pages": sum(h["pages"] for h in hosts)}
    headroom = {"vcpus": sum(h["free_vcpus"] for h in hosts), "pages": sum(h["free_pages"] for h in hosts)}
    # Asks "is there enough left?" before "could any host ever hold it?".
    if vm["vcpus"] > headroom["vcpus"] or vm["pages"] > headroom["pages"]:
        verdict = "pool_full"
    elif vm["vcpus"] > max(h["cores"] for h in hosts) or vm["pages"] > max(h["pages"] for h in hosts):
        verdict = "too_big"
    elif any(h["free_vcpus"] >= vm["vcpus"] and h["free_pages"] >= vm["pages"] for h in hosts):
        verdict = "admit"
    else:
        verdict = "fragmented"
    return {"capacity": capacity, "headroom": headroom, "verdict": verdict}
