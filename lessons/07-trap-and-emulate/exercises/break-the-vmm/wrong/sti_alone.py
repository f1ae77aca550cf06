# expect: your kernel ends in the same state natively and under the VMM
def divergent_program(runs_in_user_mode):
    recipes = {"getr": [("getr", "a")], "getmode": [("getmode", "a")], "popf": [("popf", "a")],
               "cli": [("cli",)], "out": [("add", "a", 1), ("out", "a")],
               "setr": [("setr", 4, 20)], "halt": [("halt",), ("add", "a", 1)],
               "sti": [("sti",)]}  # IF is already 1: setting it again changes nothing
    for op in ("sti", *recipes):
        if op in runs_in_user_mode:
            return recipes[op]
    return None
