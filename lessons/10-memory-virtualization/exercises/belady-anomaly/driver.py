"""Replays the learner's reference string through FIFO with two frame counts; public."""

from tutor.explanations import explain
from tutor.sim.testbed import fifo_misses

RETURNS = {"anomaly": [int]}


def run(submission, args, trace):
    frames, pages, limit = args["frames"], args["pages"], args["max_length"]
    refs = list(submission.anomaly(frames, pages, limit))
    bad = [page for page in refs if not 1 <= page <= pages]
    if bad or len(refs) > limit:
        # Replaying it anyway would be a different exercise: say what is out of bounds instead.
        return {"refs": refs, "misses": None, "bad": bad[:3], "length": len(refs)}
    misses = fifo_misses(refs, (frames, frames + 1), trace)
    return {"refs": refs, "misses": misses, "bad": [], "length": len(refs)}


def compare(args, expected, actual, reveal=False):
    frames, limit, (fewer, more) = args["frames"], args["max_length"], actual["misses"] or (0, 0)
    if actual["bad"]:
        return explain("paging.belady.bad_page", page=actual["bad"][0], pages=args["pages"])
    if actual["length"] > limit:
        return explain("paging.belady.too_long", length=actual["length"], limit=limit)
    if more <= fewer:
        counts = {"fewer": fewer, "more": more, "frames": frames, "more_frames": frames + 1}
        return explain("paging.belady.no_anomaly", **counts)
    return None
