# expect: is never reclaimed
def allocate(total_pages, clients, tau):
    k = 1 / (1 - tau)
    pages = {c["name"]: c["max_pages"] for c in clients}
    need = sum(pages.values()) - total_pages
    while need > 0:
        candidates = [c for c in clients if pages[c["name"]] > 0]
        f = lambda c: c["active_fraction"]
        poorest = min(
            candidates,
            key=lambda c: (c["shares"] / (pages[c["name"]] * (f(c) + k * (1 - f(c)))), c["name"]),
        )
        pages[poorest["name"]] -= 1
        need -= 1
    return pages
