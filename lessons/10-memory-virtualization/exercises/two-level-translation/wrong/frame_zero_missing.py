# expect: 0 is a frame number like any other
def translate(page_table, pmap, gvpn):
    gppn = page_table.get(gvpn)
    if gppn is None:
        return {"gppn": None, "mpn": None, "fault": "page_table"}
    mpn = pmap.get(gppn)
    if not mpn:  # Misconception: frame 0 reads as "no frame"
        return {"gppn": gppn, "mpn": None, "fault": "pmap"}
    return {"gppn": gppn, "mpn": mpn, "fault": None}
