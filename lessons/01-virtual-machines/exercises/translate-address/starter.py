def translate(layout, guest, resource, address):
    """The host page or block behind a guest's own address, or None if the hypervisor refuses it.

    layout: {"hypervisor_pages": 8,
             "guests": [{"name": "web", "memory_pages": 16, "disk_blocks": 16}, ...]}
    The guests are listed in the order their slices were carved, side by side.
    """
    # The guest's own number is not the host's: where does this guest's slice start?
    return address
