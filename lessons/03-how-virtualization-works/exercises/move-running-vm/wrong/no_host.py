# expect: must be placed on the host its files were copied to
from tutor.sim import Guest, copy_files


def move(guest, target, trace):
    copied = copy_files(guest.save(), guest.host, target, trace)
    return Guest.restore(copied, trace=trace)
