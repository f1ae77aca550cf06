# expect: whose name sorts first
def allocate(total_pages, clients, tau):
    k = 1 / (1 - tau)
    pages = {c["name"]: c["max_pages"] for c in clients}
    need = max(0, sum(pages.values()) - total_pages)
    for _ in range(need):
        poorest = None
        for c in clients:
            if pages[c["name"]] <= c["min_pages"]:
                continue
            f = c["active_fraction"]
            rho = c["shares"] / (pages[c["name"]] * (f + k * (1 - f)))
            if poorest is None or rho < poorest[0]:
                poorest = (rho, c["name"])
        pages[poorest[1]] -= 1
    return pages
