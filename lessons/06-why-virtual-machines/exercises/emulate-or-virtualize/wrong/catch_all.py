# expect: it does not create capacity
def start(pool, vm, emulate):
    # Misconception: whatever stops a guest, emulation gets it running.
    try:
        pool.place(vm)
    except Exception:
        emulate(vm)
        return "emulated"
    return "virtualised"
