def translate(page_table, pmap, gvpn):
    """用客户机的 page_table 和虚拟机监控程序的 pmap 转换客户机虚拟页 gvpn。

    返回 {"gppn": ..., "mpn": ..., "fault": ...}；fault 是 None、"page_table" 或 "pmap"。
    """
    # 第一次尝试：只用客户机的页表。少了哪一步？
    if gvpn not in page_table:
        return {"gppn": None, "mpn": None, "fault": "page_table"}
    gppn = page_table[gvpn]
    return {"gppn": gppn, "mpn": gppn, "fault": None}
