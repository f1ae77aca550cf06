"""Guests, links and downtime budgets; hidden ones are drawn per learner.

Kinds: the stop rules ("xen-v2" or "xen-4.5"), and "large guest" (8 GB or more behind a
10 Gb/s-class link). Budgets lie between 5 % and 40 % of the time to copy all of memory, so
the gentlest rate that breaks one is below the link's rate: a workload that dirties slower than
the link can still defeat pre-copy.
"""


def _case(memory, bandwidth, rules, budget_share):
    full_ms = memory * 8 / bandwidth * 1000
    budget = round(full_ms * budget_share)
    kinds = [rules]
    if memory >= 8192:
        kinds.append("large guest")
    return {
        "args": {
            "memory_mb": float(memory),
            "bandwidth_mbps": float(bandwidth),
            "rules": rules,
            "budget_ms": float(budget),
        },
        "kinds": kinds,
        "title": {
            "en": f"{memory:g} MB over {bandwidth:g} Mb/s, {rules}, budget {budget} ms",
            "zh": f"{memory:g} MB，链路 {bandwidth:g} Mb/s，{rules}，预算 {budget} ms",
        },
    }


PRACTICE = [
    _case(1024, 1000, "xen-v2", 0.05),
    _case(1024, 1000, "xen-4.5", 0.05),
    _case(16384, 10000, "xen-v2", 0.2),
    _case(16384, 10000, "xen-4.5", 0.2),
]


def hidden(rng):
    # Under xen-4.5 the number of rounds depends only on the budget's share of a full copy:
    # a tight budget (many rounds) and a loose one (few), so no fixed guess passes.
    small = (512, 2048, 4096)
    large = (8192, 32768)
    return [
        _case(
            rng.choice(small),
            rng.choice((1000, 2500)),
            "xen-v2",
            rng.uniform(0.05, 0.4),
        ),
        _case(
            rng.choice(small),
            rng.choice((1000, 2500)),
            "xen-4.5",
            rng.uniform(0.02, 0.12),
        ),
        _case(
            rng.choice(large),
            rng.choice((10000, 25000)),
            "xen-v2",
            rng.uniform(0.05, 0.4),
        ),
        _case(
            rng.choice(large),
            rng.choice((10000, 25000)),
            "xen-4.5",
            rng.uniform(0.3, 0.45),
        ),
    ]
