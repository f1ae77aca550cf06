# expect: no more often
def anomaly(frames, pages, max_length):
    return [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]
