def anomaly(frames, pages, max_length):
    k = frames
    return list(range(1, k + 2)) + list(range(1, k)) + [k + 2] + list(range(1, k + 3))
