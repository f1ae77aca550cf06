# expect: it needs emulation
def start(pool, vm, emulate):
    # Misconception: the VMM hides the CPU as well as the machine model.
    try:
        pool.place(vm)
    except Exception:
        return "refused"
    return "virtualised"
