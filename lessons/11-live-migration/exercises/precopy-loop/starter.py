PAGE_MB = 4096 / 1_000_000  # one 4 KiB page, in MB


def migrate(link, workload):
    """Migrate a running guest by pre-copy, then compare the rounds with V_i = M·(d/B)^i.

    link.send(mb) sends mb while the guest runs and returns the MB it dirtied meanwhile.
    link.stop_and_copy(mb, reason) pauses the guest and sends the rest; reason is
    "converged", "max_rounds", "max_sent" or "clean".
    workload: {"memory_mb": 1024.0, "dirty_mbps": 100.0, "bandwidth_mbps": 1000.0,
               "rules": "xen-v2"}   # or "xen-4.5"
    """
    memory = workload["memory_mb"]
    dirtied = link.send(memory)  # round 0: all of memory
    # TODO: keep sending what was dirtied until the stop rules say stop
    link.stop_and_copy(dirtied, "max_rounds")

    closed_form = [memory]  # TODO: V_i for every live round
    return {"closed_form_mb": closed_form, "departs_at": None}
