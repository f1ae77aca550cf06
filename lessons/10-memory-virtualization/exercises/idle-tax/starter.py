def allocate(total_pages, clients, tau):
    """Pages per client after reclaiming from the lowest rho = S / (P * (f + k * (1 - f)))."""
    # A first try: everyone keeps what it asks for. What if that is more than the machine has?
    return {c["name"]: c["max_pages"] for c in clients}
