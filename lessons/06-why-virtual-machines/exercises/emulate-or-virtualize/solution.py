from tutor.sim import ArchitectureMismatch, CapacityExceeded


def start(pool, vm, emulate):
    try:
        pool.place(vm)
    except ArchitectureMismatch:
        emulate(vm)
        return "emulated"
    except CapacityExceeded:
        return "refused"
    return "virtualised"
