PAGE_MB = 4096 / 1_000_000


def simulate(memory, dirty, bandwidth, rules):
    """Pre-copy at a fixed rate with a constant dirty rate: (live rounds, downtime in ms)."""
    max_rounds = 5 if rules == "xen-v2" else 29
    to_send, total, rounds = memory, 0.0, 0
    while True:
        dirtied = min(memory, dirty / 8 * (to_send / (bandwidth / 8)))
        rounds += 1
        total += to_send
        if (
            to_send < 50 * PAGE_MB
            or rounds >= max_rounds
            or (rules == "xen-4.5" and total > 3 * memory)
        ):
            return rounds, dirtied / (bandwidth / 8) * 1000
        to_send = dirtied


def design(link):
    memory, bandwidth, rules = link["memory_mb"], link["bandwidth_mbps"], link["rules"]
    budget = link["budget_ms"]
    # Above a 50-page pause, the downtime only grows with the dirty rate: bisect for the
    # slowest rate whose pause exceeds the budget.
    low, high = 0.0, bandwidth
    for _ in range(100):
        middle = (low + high) / 2
        if simulate(memory, middle, bandwidth, rules)[1] > budget:
            high = middle
        else:
            low = middle
    dirty = high * 1.000001  # a hair above the boundary, so rounding cannot tip it back
    return {"dirty_mbps": dirty, "rounds": simulate(memory, dirty, bandwidth, rules)[0]}
