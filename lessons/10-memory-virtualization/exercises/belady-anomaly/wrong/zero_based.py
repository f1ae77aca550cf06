# expect: only pages 1 to
def anomaly(frames, pages, max_length):
    k = frames
    return list(range(0, k + 1)) + list(range(0, k - 1)) + [k + 1] + list(range(0, k + 2))
