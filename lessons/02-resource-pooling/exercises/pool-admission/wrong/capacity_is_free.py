# expect: capacity is everything the hosts have, reserved or not
def admit(hosts, vm):
    # Misconception: capacity is what is left.
    free = {"vcpus": sum(h["free_vcpus"] for h in hosts), "pages": sum(h["free_pages"] for h in hosts)}
    if vm["vcpus"] > max(h["cores"] for h in hosts) or vm["pages"] > max(h["pages"] for h in hosts):
        verdict = "too_big"
    elif vm["vcpus"] > free["vcpus"] or vm["pages"] > free["pages"]:
        verdict = "pool_full"
    elif any(h["free_vcpus"] >= vm["vcpus"] and h["free_pages"] >= vm["pages"] for h in hosts):
        verdict = "admit"
    else:
        verdict = "fragmented"
    return {"capacity": free, "headroom": free, "verdict": verdict}
