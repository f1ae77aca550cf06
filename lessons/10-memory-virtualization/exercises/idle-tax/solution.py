def allocate(total_pages, clients, tau):
    k = 1 / (1 - tau)  # an idle page costs k times an active one
    pages = {c["name"]: c["max_pages"] for c in clients}
    need = sum(pages.values()) - total_pages

    def rho(c):
        f = c["active_fraction"]
        return c["shares"] / (pages[c["name"]] * (f + k * (1 - f)))

    while need > 0:  # one page at a time: rho rises as a client loses pages
        candidates = [c for c in clients if pages[c["name"]] > c["min_pages"]]
        poorest = min(candidates, key=lambda c: (rho(c), c["name"]))
        pages[poorest["name"]] -= 1
        need -= 1
    return pages
