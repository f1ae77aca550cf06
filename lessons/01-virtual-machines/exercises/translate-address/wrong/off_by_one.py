# expect: so the hypervisor refuses it
def translate(layout, guest, resource, address):
    key = "memory_pages" if resource == "memory" else "disk_blocks"
    start = layout["hypervisor_pages"] if resource == "memory" else 0
    for g in layout["guests"]:
        if g["name"] == guest:
            return start + address if 0 <= address <= g[key] else None  # <= lets one past the end in
        start += g[key]
