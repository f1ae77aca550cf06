# For each sensitive instruction: a kernel whose final state differs under trap-and-emulate when
# that instruction runs in user mode. Under the VMM the real CPU is in user mode at base 32, and
# a non-trapping instruction acts on the real CPU while the guest's virtual CPU never hears of it.
RECIPES = {
    "getr": [("getr", "a")],  # reads the real base, 32, where bare metal reads 0
    "getmode": [("getmode", "a")],  # reads user mode (0), where bare metal reads supervisor (1)
    "popf": [("popf", "a")],  # a = 0: bare metal clears IF, user-mode POPF is ignored
    "cli": [("cli",)],  # clears the real flag; the guest's own flag stays 1
    "out": [("add", "a", 1), ("out", "a")],  # the guest's output port never gets the 1
    "setr": [("setr", 4, 20)],  # changes the real register; the guest's stays base 0
    "halt": [("halt",), ("add", "a", 1)],  # the VMM never learns the guest halted
}


def divergent_program(runs_in_user_mode):
    for op, program in RECIPES.items():
        if op in runs_in_user_mode:
            return program
    if "sti" in runs_in_user_mode:
        return [("cli",), ("sti",)]  # cli traps (virtual IF = 0); sti sets only the real flag
    return None
