# expect: the one without a tax
def allocate(total_pages, clients, tau):
    pages = {c["name"]: c["max_pages"] for c in clients}
    need = sum(pages.values()) - total_pages
    while need > 0:
        candidates = [c for c in clients if pages[c["name"]] > c["min_pages"]]
        poorest = min(candidates, key=lambda c: (c["shares"] / pages[c["name"]], c["name"]))
        pages[poorest["name"]] -= 1
        need -= 1
    return pages
