# expect: before the update's first write
def try_update(guest, update, test):
    # Misconception: the snapshot can be taken once the update is in.
    for w in update:
        if w["disk"] is None:
            guest.write_memory(w["target"], w["value"])
        else:
            guest.write_disk(w["disk"], w["target"], w["value"])
    label = f"s{len(guest.snapshots())}"
    guest.snapshot(label)
    if test():
        return True
    guest.rollback(label)
    return False
