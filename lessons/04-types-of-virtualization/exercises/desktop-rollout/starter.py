def roll_update(pool, patches):
    """Bring every virtual desktop of the pool up to date, then check them all.

    pool.version: the golden image's version; pool.desktops: the desktops (linked clones).
    pool.push_update(blocks): build the next image version from {block: value} and recompose
        every desktop onto it. pool.audit(block, value): the desktops whose OS block differs.
    patches: [{"version": 3, "blocks": {5: 42}}, ...], in no particular order.
    Return the names of the desktops your security checks found failing.
    """
    for patch in patches:
        for desktop in pool.desktops:  # one desktop at a time... is that how it scales to 200?
            for block, value in patch["blocks"].items():
                desktop.write_disk("os", block, value)
    return []
