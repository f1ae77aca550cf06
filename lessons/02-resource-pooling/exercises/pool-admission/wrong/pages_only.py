# expect: no host has room for both its vCPUs and its pages
def admit(hosts, vm):
    capacity = {"vcpus": sum(h["cores"] for h in hosts), "pages": sum(h["pages"] for h in hosts)}
    headroom = {
        "vcpus": sum(h["free_vcpus"] for h in hosts),
        "pages": sum(h["free_pages"] for h in hosts),
    }
    # Misconception: memory is what runs out; the vCPUs always fit somewhere.
    if vm["pages"] > max(h["pages"] for h in hosts):
        verdict = "too_big"
    elif vm["pages"] > headroom["pages"]:
        verdict = "pool_full"
    elif any(h["free_pages"] >= vm["pages"] for h in hosts):
        verdict = "admit"
    else:
        verdict = "fragmented"
    return {"capacity": capacity, "headroom": headroom, "verdict": verdict}
