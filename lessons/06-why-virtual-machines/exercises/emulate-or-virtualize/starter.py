from tutor.sim import ArchitectureMismatch, CapacityExceeded


def start(pool, vm, emulate):
    """Start vm in pool. Return "virtualised", "emulated" or "refused".

    pool.place(vm) puts it on a host of its architecture, or raises ArchitectureMismatch
    (no host speaks its instruction set) or CapacityExceeded (no host has room).
    emulate(vm) runs it under QEMU TCG on the pool's first host.
    """
    try:
        pool.place(vm)
    except (ArchitectureMismatch, CapacityExceeded):
        raise  # which of these could emulation fix?
    return "virtualised"
