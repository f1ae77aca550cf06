"""Replays the learner's reference string through FIFO with two frame counts; public."""

from tutor.sim import page_faults

RETURNS = {"anomaly": [int]}


def run(submission, args, trace):
    frames, pages, limit = args["frames"], args["pages"], args["max_length"]
    refs = list(submission.anomaly(frames, pages, limit))
    bad = [page for page in refs if not 1 <= page <= pages]
    if bad or len(refs) > limit:
        # Replaying it anyway would be a different exercise: say what is out of bounds instead.
        return {"refs": refs, "misses": None, "bad": bad[:3], "length": len(refs)}
    misses = []
    for n in (frames, frames + 1):
        trace.emit("swap.frames", frames=n, policy="fifo", refs=refs)
        misses.append(page_faults(refs, n, "fifo", trace=trace).misses)
    return {"refs": refs, "misses": misses, "bad": [], "length": len(refs)}


def compare(args, expected, actual, reveal=False):
    frames, pages, limit = args["frames"], args["pages"], args["max_length"]
    if actual["bad"]:
        return {
            "en": f"the string uses page {actual['bad'][0]}, but only pages 1 to {pages} exist "
            "here: an anomaly needs at least frames + 2 distinct pages, and this case has them",
            "zh": f"序列用到了页 {actual['bad'][0]}，但这里只有页 1 到 {pages}：异常至少需要 "
            "frames + 2 个不同的页，这个用例正好有这么多",
        }
    if actual["length"] > limit:
        return {
            "en": f"the string has {actual['length']} references, more than the {limit} allowed",
            "zh": f"序列有 {actual['length']} 次访问，超过了允许的 {limit} 次",
        }
    fewer, more = actual["misses"]
    if more <= fewer:
        return {
            "en": f"FIFO misses {fewer} times with {frames} frames and {more} with "
            f"{frames + 1}: no more often with the extra frame, so this is no anomaly. The "
            "extra frame must keep an old page whose eviction comes just before it is needed",
            "zh": f"FIFO 用 {frames} 个页框缺页 {fewer} 次，用 {frames + 1} 个页框缺页 {more} "
            "次：多一个页框并没有让缺页更多，所以这不是异常。多出来的页框必须留住一个旧页，"
            "而这个旧页恰好在再次被需要之前被换出",
        }
    return None
