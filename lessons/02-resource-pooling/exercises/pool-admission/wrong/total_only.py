# expect: a guest cannot span hosts
def admit(hosts, vm):
    capacity = {"vcpus": sum(h["cores"] for h in hosts), "pages": sum(h["pages"] for h in hosts)}
    headroom = {"vcpus": sum(h["free_vcpus"] for h in hosts), "pages": sum(h["free_pages"] for h in hosts)}
    if vm["vcpus"] > max(h["cores"] for h in hosts) or vm["pages"] > max(h["pages"] for h in hosts):
        verdict = "too_big"
    # Misconception: the pool is one big machine, so enough in total is enough.
    elif vm["vcpus"] > headroom["vcpus"] or vm["pages"] > headroom["pages"]:
        verdict = "pool_full"
    else:
        verdict = "admit"
    return {"capacity": capacity, "headroom": headroom, "verdict": verdict}
