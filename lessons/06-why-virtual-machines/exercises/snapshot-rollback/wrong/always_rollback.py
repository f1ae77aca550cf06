# expect: a passing update is kept
def try_update(guest, update, test):
    # Misconception: a test environment is always reset, even after a passing update.
    label = f"s{len(guest.snapshots())}"
    guest.snapshot(label)
    for w in update:
        if w["disk"] is None:
            guest.write_memory(w["target"], w["value"])
        else:
            guest.write_disk(w["disk"], w["target"], w["value"])
    ok = test()
    guest.rollback(label)
    return ok
