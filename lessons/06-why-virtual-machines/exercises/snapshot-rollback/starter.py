def try_update(guest, update, test):
    """Try an update on a running guest; keep it if test() passes, else undo it completely.

    update: a list of writes, e.g.
        {"target": 3, "value": 42, "disk": None}      # memory page 3
        {"target": 5, "value": 7, "disk": "disk0"}    # block 5 of disk0
    test(): runs the smoke test and returns True if the service still works.
    Return True if the update was kept, False if it was rolled back.
    """
    for write in update:
        if write["disk"] is None:
            guest.write_memory(write["target"], write["value"])
        else:
            guest.write_disk(write["disk"], write["target"], write["value"])
    return test()  # and if it failed? what would you need to have done *before* the writes?
