# expect: some host is at least as large as it asks for
def admit(hosts, vm):
    capacity = {"vcpus": sum(h["cores"] for h in hosts), "pages": sum(h["pages"] for h in hosts)}
    headroom = {"vcpus": sum(h["free_vcpus"] for h in hosts), "pages": sum(h["free_pages"] for h in hosts)}
    # Misconception: "bigger than the biggest free hole" means too big.
    if vm["pages"] > max(h["free_pages"] for h in hosts) or vm["vcpus"] > max(h["free_vcpus"] for h in hosts):
        verdict = "too_big"
    else:
        verdict = "admit"
    return {"capacity": capacity, "headroom": headroom, "verdict": verdict}
