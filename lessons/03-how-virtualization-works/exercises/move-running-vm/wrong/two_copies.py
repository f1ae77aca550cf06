# expect: two copies of
from tutor.sim import Guest, copy_files


def move(guest, target, trace):
    files = guest.files()  # the original keeps running
    copied = copy_files(files, guest.host, target, trace)
    return Guest.restore(copied, trace=trace, host=target)
