# expect: your kernel ends in the same state natively and under the VMM
def divergent_program(runs_in_user_mode):
    # Misconception: a halt the VMM never sees shows by itself. Nothing runs after it, so the
    # guest ends in the same state on bare metal and under the VMM.
    recipes = {"getr": [("getr", "a")], "getmode": [("getmode", "a")], "popf": [("popf", "a")],
               "cli": [("cli",)], "out": [("add", "a", 1), ("out", "a")],
               "setr": [("setr", 4, 20)], "halt": [("halt",)]}
    for op, program in recipes.items():
        if op in runs_in_user_mode:
            return program
    if "sti" in runs_in_user_mode:
        return [("cli",), ("sti",)]
    return None
