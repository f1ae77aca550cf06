# expect: rises with every page it loses
def allocate(total_pages, clients, tau):
    k = 1 / (1 - tau)
    pages = {c["name"]: c["max_pages"] for c in clients}
    need = sum(pages.values()) - total_pages

    def rho(c):
        f = c["active_fraction"]
        return c["shares"] / (c["max_pages"] * (f + k * (1 - f)))

    for c in sorted(clients, key=lambda c: (rho(c), c["name"])):
        taken = min(need, c["max_pages"] - c["min_pages"])
        pages[c["name"]] -= taken
        need -= taken
    return pages
