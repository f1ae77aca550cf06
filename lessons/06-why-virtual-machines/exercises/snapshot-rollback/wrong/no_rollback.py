# expect: was not rolled back
def try_update(guest, update, test):
    # Misconception: reporting the failure is enough; the broken update stays installed.
    guest.snapshot(f"s{len(guest.snapshots())}")
    for w in update:
        if w["disk"] is None:
            guest.write_memory(w["target"], w["value"])
        else:
            guest.write_disk(w["disk"], w["target"], w["value"])
    return test()
