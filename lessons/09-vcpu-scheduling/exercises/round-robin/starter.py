def round_robin(lengths, quantum):
    """Return the turns [job, ran] that round robin gives jobs of these lengths."""
    turns = []
    queue = [[job, left] for job, left in enumerate(lengths)]
    # Take the job at the front, run it for one quantum (or less), and put it back if it is
    # not finished.
    return turns
