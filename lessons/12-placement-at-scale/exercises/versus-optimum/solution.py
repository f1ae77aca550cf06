def first_fit(sizes, capacity):
    bins = []
    for size in sizes:
        for i, used in enumerate(bins):
            if used + size <= capacity:
                bins[i] += size
                break
        else:
            bins.append(size)
    return len(bins)


def optimum(sizes, capacity):
    items = sorted(sizes, reverse=True)
    best = len(items)

    def search(i, bins):
        nonlocal best
        if len(bins) >= best:
            return
        if i == len(items):
            best = len(bins)
            return
        seen = set()
        for b in range(len(bins)):
            if bins[b] + items[i] <= capacity and bins[b] not in seen:
                seen.add(bins[b])
                bins[b] += items[i]
                search(i + 1, bins)
                bins[b] -= items[i]
        bins.append(items[i])
        search(i + 1, bins)
        bins.pop()

    search(0, [])
    return best


def compare(sizes, capacity):
    return {
        "first_fit": first_fit(sizes, capacity),
        "ffd": first_fit(sorted(sizes, reverse=True), capacity),
        "optimum": optimum(sizes, capacity),
    }
