# expect: but this case's τ is
def allocate(total_pages, clients, tau):
    k = 1 / (1 - 0.75)
    pages = {c["name"]: c["max_pages"] for c in clients}
    need = sum(pages.values()) - total_pages
    while need > 0:
        candidates = [c for c in clients if pages[c["name"]] > c["min_pages"]]
        f = lambda c: c["active_fraction"]
        poorest = min(
            candidates,
            key=lambda c: (c["shares"] / (pages[c["name"]] * (f(c) + k * (1 - f(c)))), c["name"]),
        )
        pages[poorest["name"]] -= 1
        need -= 1
    return pages
