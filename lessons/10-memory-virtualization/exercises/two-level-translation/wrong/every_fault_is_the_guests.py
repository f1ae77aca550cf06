# expect: the guest never sees this fault
def translate(page_table, pmap, gvpn):
    if gvpn not in page_table or page_table[gvpn] not in pmap:
        return {"gppn": None, "mpn": None, "fault": "page_table"}
    gppn = page_table[gvpn]
    return {"gppn": gppn, "mpn": pmap[gppn], "fault": None}
