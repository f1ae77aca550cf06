from tutor.sim import path_of


def path(kind, operation):
    return path_of(kind, operation)
