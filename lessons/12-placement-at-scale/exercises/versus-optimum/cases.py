"""Small random packings (6 to 10 guests, hosts of 100 pages); hidden ones per learner.

Kinds: "ffd optimal" (FFD finds the optimum), "ffd above optimum" (it does not), "first fit
worse" (unsorted First Fit needs more hosts than FFD) and "above the lower bound" (the optimum
needs more hosts than the total size divided by the capacity, rounded up).
"""

from tutor.sim import optimal_bin_count


def _first_fit(sizes, capacity):
    bins = []
    for size in sizes:
        for i, used in enumerate(bins):
            if used + size <= capacity:
                bins[i] += size
                break
        else:
            bins.append(size)
    return len(bins)


def _case(sizes, capacity=100):
    ff = _first_fit(sizes, capacity)
    ffd = _first_fit(sorted(sizes, reverse=True), capacity)
    opt = optimal_bin_count(sizes, capacity)
    kinds = ["ffd optimal" if ffd == opt else "ffd above optimum"]
    if ff > ffd:
        kinds.append("first fit worse")
    if opt > -(-sum(sizes) // capacity):
        kinds.append("above the lower bound")
    return {
        "args": {"sizes": sizes, "capacity": capacity},
        "kinds": kinds,
        "title": {
            "en": f"{len(sizes)} guests: {', '.join(map(str, sizes))}",
            "zh": f"{len(sizes)} 台客户机：{'、'.join(map(str, sizes))}",
        },
    }


PRACTICE = [
    _case([30, 30, 30, 70, 70, 70]),
    _case([51, 30, 15, 28, 41, 32]),
    _case([44, 24, 24, 22, 21, 17, 8, 8, 6, 6]),
    _case([60, 45, 60, 20, 55, 60]),
]


def _draw(rng, want, low=15, high=60):
    for _ in range(5000):
        sizes = [rng.randint(low, high) for _ in range(rng.randint(6, 10))]
        case = _case(sizes)
        if want(case["kinds"]):
            return case
    return _case([30, 30, 30, 70, 70, 70])


def hidden(rng):
    return [
        _draw(rng, lambda k: k == ["ffd optimal"]),
        _draw(rng, lambda k: "first fit worse" in k),
        _draw(rng, lambda k: "ffd above optimum" in k),
        _draw(rng, lambda k: "above the lower bound" in k, 35, 65),
    ]
