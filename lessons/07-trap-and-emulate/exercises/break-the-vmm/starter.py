def divergent_program(runs_in_user_mode):
    """A guest kernel that ends differently under trap-and-emulate than on bare metal, or None.

    runs_in_user_mode: the instructions this machine lets run in user mode without trapping,
    e.g. ["getr", "add"]. All others trap, as on the toy ISA.
    Return a list of instructions such as [("add", "a", 1), ("out", "a")], at most 8 of them,
    or None if no kernel can tell the VMM from bare metal on this machine.
    """
    if "getmode" in runs_in_user_mode:
        return [("getmode", "a")]
    return None
