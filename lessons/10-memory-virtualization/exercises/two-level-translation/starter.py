def translate(page_table, pmap, gvpn):
    """Translate guest-virtual page gvpn with the guest's page_table and the hypervisor's pmap.

    Return {"gppn": ..., "mpn": ..., "fault": ...}; fault is None, "page_table" or "pmap".
    """
    # A first try: the guest's page table alone. Which step is missing?
    if gvpn not in page_table:
        return {"gppn": None, "mpn": None, "fault": "page_table"}
    gppn = page_table[gvpn]
    return {"gppn": gppn, "mpn": gppn, "fault": None}
