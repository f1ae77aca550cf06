PAGE_MB = 4096 / 1_000_000  # one 4 KiB page, in MB


def design(link):
    """Design the gentlest workload whose migration pauses the guest for longer than the
    budget, and predict how many live rounds pre-copy makes before it gives up.

    link: {"memory_mb": 1024.0, "bandwidth_mbps": 1000.0, "rules": "xen-v2",
           "budget_ms": 100.0}
    Return {"dirty_mbps": d, "rounds": number of live rounds}.
    """
    dirty = link["bandwidth_mbps"]  # surely too long a pause, but is it the gentlest?
    rounds = 1  # how many live rounds before the stop-and-copy?
    return {"dirty_mbps": dirty, "rounds": rounds}
