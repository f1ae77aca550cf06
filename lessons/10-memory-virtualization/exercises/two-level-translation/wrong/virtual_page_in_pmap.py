# expect: indexed by guest-physical pages
def translate(page_table, pmap, gvpn):
    if gvpn not in page_table:
        return {"gppn": None, "mpn": None, "fault": "page_table"}
    gppn = page_table[gvpn]
    if gvpn not in pmap:
        return {"gppn": gppn, "mpn": None, "fault": "pmap"}
    return {"gppn": gppn, "mpn": pmap[gvpn], "fault": None}
