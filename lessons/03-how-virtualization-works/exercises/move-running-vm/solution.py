from tutor.sim import Guest, copy_files


def move(guest, target, trace):
    source = guest.host
    files = guest.save()  # memory and CPU go into the .vmss file; the original stops running
    copied = copy_files(files, source, target, trace)
    return Guest.restore(copied, trace=trace, host=target)
