from tutor.sim.isa import classify, isa_variant


def divergent_program(runs_in_user_mode):
    culprits = classify(isa_variant("m", runs_in_user_mode)).culprits
    return [("getmode", "a")] if culprits else None
