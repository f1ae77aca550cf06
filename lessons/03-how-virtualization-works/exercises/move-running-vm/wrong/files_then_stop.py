# expect: was not suspended before its files were copied
from tutor.sim import Guest, copy_files


def move(guest, target, trace):
    copied = copy_files(guest.files(), guest.host, target, trace)
    guest.stop()  # Misconception: stopping the original after copying is as good as suspending it.
    return Guest.restore(copied, trace=trace, host=target)
