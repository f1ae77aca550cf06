def translate(page_table, pmap, gvpn):
    if gvpn not in page_table:  # the guest's own page fault: the first translation fails
        return {"gppn": None, "mpn": None, "fault": "page_table"}
    gppn = page_table[gvpn]
    if gppn not in pmap:  # the hypervisor's fault: no frame backs this guest-physical page
        return {"gppn": gppn, "mpn": None, "fault": "pmap"}
    return {"gppn": gppn, "mpn": pmap[gppn], "fault": None}
