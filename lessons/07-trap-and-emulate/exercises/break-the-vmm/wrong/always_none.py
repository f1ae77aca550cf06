# expect: Theorem 1 does not hold
def divergent_program(runs_in_user_mode):
    return None  # "a VMM can always hide itself"
