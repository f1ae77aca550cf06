# expect: you returned the original guest
from tutor.sim import copy_files


def move(guest, target, trace):
    files = guest.save()
    copy_files(files, guest.host, target, trace)
    guest.start(target)  # Misconception: the suspended original can simply start on the target.
    return guest
