# expect: already has a snapshot named
def try_update(guest, update, test):
    # Misconception: one snapshot name does for every update.
    guest.snapshot("before")
    for w in update:
        if w["disk"] is None:
            guest.write_memory(w["target"], w["value"])
        else:
            guest.write_disk(w["disk"], w["target"], w["value"])
    if test():
        return True
    guest.rollback("before")
    return False
