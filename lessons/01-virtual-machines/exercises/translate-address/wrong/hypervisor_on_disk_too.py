# expect: the hypervisor keeps memory pages, not disk blocks
def translate(layout, guest, resource, address):
    key = "memory_pages" if resource == "memory" else "disk_blocks"
    start = layout["hypervisor_pages"]  # on disk too
    for g in layout["guests"]:
        if g["name"] == guest:
            return start + address if 0 <= address < g[key] else None
        start += g[key]
