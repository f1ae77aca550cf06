from tutor.sim import slices


def predict(guests, ops):
    host = slices.SlicedHost(None)
    return []
