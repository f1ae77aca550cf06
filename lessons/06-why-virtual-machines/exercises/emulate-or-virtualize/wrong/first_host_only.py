# expect: mixed pools included
def start(pool, vm, emulate):
    # Misconception: the pool's architecture is its first host's.
    if vm.arch != pool.hosts[0].arch:
        emulate(vm)
        return "emulated"
    try:
        pool.place(vm)
    except Exception:
        return "refused"
    return "virtualised"
