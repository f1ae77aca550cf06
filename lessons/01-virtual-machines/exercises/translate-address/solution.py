def translate(layout, guest, resource, address):
    size_key = "memory_pages" if resource == "memory" else "disk_blocks"
    start = layout["hypervisor_pages"] if resource == "memory" else 0
    for g in layout["guests"]:
        if g["name"] == guest:
            if 0 <= address < g[size_key]:
                return start + address
            return None
        start += g[size_key]
    return None
