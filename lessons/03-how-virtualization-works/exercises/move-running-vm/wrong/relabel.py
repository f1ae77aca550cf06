# expect: its files never reached
def move(guest, target, trace):
    guest.move_to(target)  # Misconception: moving a VM is changing the name of its host.
    return guest
