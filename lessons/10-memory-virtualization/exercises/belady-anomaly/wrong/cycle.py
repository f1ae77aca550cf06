# expect: no more often
def anomaly(frames, pages, max_length):
    return [i % (frames + 1) + 1 for i in range(max_length)]
