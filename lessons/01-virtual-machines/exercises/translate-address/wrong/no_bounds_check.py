# expect: belongs to
def translate(layout, guest, resource, address):
    key = "memory_pages" if resource == "memory" else "disk_blocks"
    start = layout["hypervisor_pages"] if resource == "memory" else 0
    for g in layout["guests"]:
        if g["name"] == guest:
            return start + address  # trusts the guest to stay inside its slice
        start += g[key]
