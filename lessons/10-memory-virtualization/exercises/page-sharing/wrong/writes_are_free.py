# expect: copy-on-write
def frames_used(guests, salts, writes):
    groups = set()
    for guest, contents in guests.items():
        for value in contents:
            groups.add((salts.get(guest), value))
    return {"after_share": len(groups), "after_writes": len(groups)}
