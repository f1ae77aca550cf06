# expect: the guest-physical page itself
def translate(page_table, pmap, gvpn):
    if gvpn not in page_table:
        return {"gppn": None, "mpn": None, "fault": "page_table"}
    gppn = page_table[gvpn]
    return {"gppn": gppn, "mpn": gppn, "fault": None}
