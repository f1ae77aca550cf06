from tutor.sim import optimal_bin_count


def compare(sizes, capacity):
    def ff(items):
        bins = []
        for s in items:
            for i, b in enumerate(bins):
                if b + s <= capacity:
                    bins[i] += s
                    break
            else:
                bins.append(s)
        return len(bins)

    return {
        "first_fit": ff(sizes),
        "ffd": ff(sorted(sizes, reverse=True)),
        "optimum": optimal_bin_count(sizes, capacity),
    }
