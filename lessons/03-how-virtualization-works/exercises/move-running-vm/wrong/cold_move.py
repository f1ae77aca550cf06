# expect: Powering off (stop) loses memory
from tutor.sim import Guest, copy_files


def move(guest, target, trace):
    source = guest.host
    guest.stop()  # Misconception: shut it down, copy it, start it again.
    copied = copy_files(guest.files(), source, target, trace)
    moved = Guest.restore(copied, trace=trace, host=target)
    moved.start()
    return moved
