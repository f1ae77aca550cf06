def account(vcpus, pcpus):
    """Every 30 ms: return {vCPU name: credits it earns}, sharing 300 credits per pCPU."""
    earned = {}
    for vcpu in vcpus:
        # each vcpu has the keys name, domain, weight, cap, active, credit
        if vcpu["active"]:
            earned[vcpu["name"]] = 0  # nothing yet: every vCPU sinks into debt
    return earned


def pick(run_queue):
    """Return the name of the vCPU to run next; run_queue is never empty, front first."""
    # each vcpu has the keys name, domain, credit, boost
    return run_queue[0]["name"]  # the front of the queue, whatever its priority
