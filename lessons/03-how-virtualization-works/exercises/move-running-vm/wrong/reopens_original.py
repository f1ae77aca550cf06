# expect: as well as on
from tutor.sim import Guest, copy_files


def move(guest, target, trace):
    source = guest.host
    files = guest.save()
    copied = copy_files(files, source, target, trace)
    Guest.restore(files, trace=trace, host=source)  # Misconception: resume the original as well.
    return Guest.restore(copied, trace=trace, host=target)
