# expect: 0 is a page number like any other
def translate(page_table, pmap, gvpn):
    gppn = page_table.get(gvpn)
    if not gppn:  # page 0 reads as "no entry"
        return {"gppn": None, "mpn": None, "fault": "page_table"}
    if gppn not in pmap:
        return {"gppn": gppn, "mpn": None, "fault": "pmap"}
    return {"gppn": gppn, "mpn": pmap[gppn], "fault": None}
