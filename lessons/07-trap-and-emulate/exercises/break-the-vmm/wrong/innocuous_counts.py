# expect: no kernel can tell the VMM from bare metal
def divergent_program(runs_in_user_mode):
    # Misconception: any instruction that runs in user mode is a hole, add included.
    if runs_in_user_mode:
        op = runs_in_user_mode[0]
        if op in ("add", "load", "store"):
            return [("add", "a", 1)]
        return [(op, "a")] if op not in ("cli", "sti", "halt", "setr") else [(op,)]
    return None
