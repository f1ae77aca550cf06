"""Frame counts for the anomaly; pages = frames + 2 and length 3·frames + 3 are just enough for
the classic construction. Kinds: the frame count ("3-frames" ... "6-frames")."""


def _case(frames, extra_pages=0, extra_length=0):
    pages, limit = frames + 2 + extra_pages, 3 * frames + 3 + extra_length
    return {
        "name": f"{frames} frames",
        "title": {
            "en": f"{frames} frames against {frames + 1}",
            "zh": f"{frames} 个页框对 {frames + 1} 个",
        },
        "args": {"frames": frames, "pages": pages, "max_length": limit},
        "kinds": [f"{frames}-frames"],
    }


PRACTICE = [_case(3), _case(4), _case(5), _case(6)]


def hidden(rng):
    return [_case(k, rng.randint(0, 2), rng.randint(0, 4)) for k in (3, 4, 5, 6)]
