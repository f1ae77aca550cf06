def try_update(guest, update, test):
    label = f"before-update-{len(guest.snapshots()) + 1}"
    guest.snapshot(label)
    for write in update:
        if write["disk"] is None:
            guest.write_memory(write["target"], write["value"])
        else:
            guest.write_disk(write["disk"], write["target"], write["value"])
    if test():
        return True
    guest.rollback(label)
    return False
