# expect: are the hypervisor's own: guests' memory starts after them
def translate(layout, guest, resource, address):
    key = "memory_pages" if resource == "memory" else "disk_blocks"
    start = 0  # forgets that the hypervisor keeps the first pages for itself
    for g in layout["guests"]:
        if g["name"] == guest:
            return start + address if 0 <= address < g[key] else None
        start += g[key]
