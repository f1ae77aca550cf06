def frames_used(guests, salts, writes):
    groups = {}
    for guest, contents in guests.items():
        for page, value in enumerate(contents):
            groups.setdefault((salts.get(guest), value), []).append((guest, page))
    frame_of, users = {}, {}
    for frame, pages in enumerate(groups.values()):
        users[frame] = set(pages)
        for page in pages:
            frame_of[page] = frame
    after_share = len(users)
    for guest, page, _value in writes:
        frame = frame_of[(guest, page)]
        if len(users[frame]) > 1:  # copy-on-write: a private frame of its own
            users[frame].discard((guest, page))
            new = len(frame_of) + len(users)
            users[new] = {(guest, page)}
            frame_of[(guest, page)] = new
    return {"after_share": after_share, "after_writes": len(users)}
