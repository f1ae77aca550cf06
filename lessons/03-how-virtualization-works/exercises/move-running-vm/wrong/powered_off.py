# expect: it must keep running there
from tutor.sim import Guest, copy_files


def move(guest, target, trace):
    source = guest.host
    guest.stop()
    return Guest.restore(copy_files(guest.files(), source, target, trace), trace=trace, host=target)
