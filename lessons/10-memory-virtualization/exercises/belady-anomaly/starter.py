def anomaly(frames, pages, max_length):
    """A reference string on which FIFO misses more with frames + 1 frames than with frames."""
    # A first try: cycle through the pages. Does one frame more help or hurt here?
    refs = []
    while len(refs) < max_length:
        refs.append(len(refs) % pages + 1)
    return refs
