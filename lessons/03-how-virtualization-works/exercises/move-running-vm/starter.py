from tutor.sim import Guest


def move(guest, target, trace):
    """Move a running guest to the host `target` and return the guest that runs there."""
    files = guest.files()  # does the original stop running? is its memory in the files?
    # copy_files(files, source, target, trace) copies the files to another host
    return Guest.restore(files, trace=trace)  # where does it run?
