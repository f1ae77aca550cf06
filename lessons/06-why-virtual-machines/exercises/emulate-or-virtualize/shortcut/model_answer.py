from tutor.sim.architecture import run_guest


def start(pool, vm, emulate):
    result = run_guest(pool, vm)
    return result
