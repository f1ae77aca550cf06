# expect: reaches the hypervisor only by trapping out
def path(kind, operation):
    if kind == "type1":
        return ["guest_app", "guest_kernel", "hypervisor", "disk"]
    return []
