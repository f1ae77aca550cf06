def predict(kind, io, slow_path, costs):
    """Predict a faster network send: the layers it crosses on the way down, and the cycles saved.

    kind: "type1", "type1_partition", "type2" or "kvm"; io: "vhost" or "sriov".
    slow_path: the layers this design's ordinary network send crosses, e.g.
        ["guest_app", "guest_kernel", "vm_exit", "kvm_module", ...]
    costs: this machine's cycles for every layer of the model, e.g. costs["vm_exit"] == 1200.
    Return None if the design has no such path, else {"path": [...], "saved": cycles}.
    """
    path = list(slow_path)  # which of these layers are still needed, and what is new?
    return {"path": path, "saved": 0}
