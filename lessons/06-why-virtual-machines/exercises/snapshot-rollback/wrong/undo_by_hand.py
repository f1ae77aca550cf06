# expect: undoing writes by hand
def try_update(guest, update, test):
    # Misconception: remembering the old values and writing them back is the same as a rollback.
    old = []
    for w in update:
        if w["disk"] is None:
            old.append((w, guest.read_memory(w["target"])))
            guest.write_memory(w["target"], w["value"])
        else:
            old.append((w, guest.read_disk(w["disk"], w["target"])))
            guest.write_disk(w["disk"], w["target"], w["value"])
    if test():
        return True
    for w, value in reversed(old):
        if w["disk"] is None:
            guest.write_memory(w["target"], value)
        else:
            guest.write_disk(w["disk"], w["target"], value)
    return False
