# expect: applied in the wrong order
def translate(page_table, pmap, gvpn):
    if gvpn not in pmap:
        return {"gppn": None, "mpn": None, "fault": "page_table"}
    gppn = pmap[gvpn]
    if gppn not in page_table:
        return {"gppn": gppn, "mpn": None, "fault": "pmap"}
    return {"gppn": gppn, "mpn": page_table[gppn], "fault": None}
