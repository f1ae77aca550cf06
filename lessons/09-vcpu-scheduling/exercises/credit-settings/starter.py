def configure(pcpus, domains):
    """Return {name: {"weight": ..., "cap": ...}} so each domain gets its target."""
    settings = {}
    for domain in domains:
        # Every domain starts at Xen's defaults: weight 256, no cap.
        settings[domain["name"]] = {"weight": 256, "cap": 0}
    return settings
