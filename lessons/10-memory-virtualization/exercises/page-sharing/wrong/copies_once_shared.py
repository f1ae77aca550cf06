# expect: whose frame is still used by another page
def frames_used(guests, salts, writes):
    groups = {}
    for guest, contents in guests.items():
        for value in contents:
            key = (salts.get(guest), value)
            groups[key] = groups.get(key, 0) + 1
    after_share = len(groups)
    # Misconception: a page that share() merged costs a copy at every write, even once the
    # pages it shared with have gone (or it was copied already).
    copies = sum(1 for g, page, _ in writes if groups[(salts.get(g), guests[g][page])] > 1)
    return {"after_share": after_share, "after_writes": after_share + copies}
