def frames_used(guests, salts, writes):
    """Predict the machine frames in use after share(), and after the writes."""
    pages = sum(len(contents) for contents in guests.values())
    # Without sharing, every page has a frame of its own.
    return {"after_share": pages, "after_writes": pages}
