"""Lets relieve() live-migrate guests off hot hosts and grades the result; public."""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import loaded_pool, migrate_by_name

MODEL_ANSWERS = {"tutor.sim": ("ResourcePool",), "tutor.sim.pool": ("ResourcePool",)}


def run(submission, args, trace):
    threshold, moved = args["threshold"], []
    pool, specs = loaded_pool(args["hosts"], threshold, trace)
    hot_before = pool.overloaded(threshold)
    hosts = [{**h, "guests": [dict(g) for g in h["guests"]]} for h in args["hosts"]]
    submission.relieve(hosts, threshold, migrate_by_name(pool, specs, moved))
    hot = {h: round(pool.utilisation(h) * 100, 1) for h in pool.overloaded(threshold)}
    pages = sum(specs[name].memory_pages for name in moved)
    return {"hot_before": hot_before, "hot_after": hot, "pages_moved": pages, "moves": len(moved)}


def compare(args, expected, actual, reveal=False):
    pct, pages = round(args["threshold"] * 100), actual["pages_moved"]
    for name, util in actual["hot_after"].items():
        key = "packing.still_hot" if name in actual["hot_before"] else "packing.pushed"
        return explain(key, host=name, util=f"{util:g}", pct=pct)
    if pages > expected["pages_moved"]:
        message = explain("packing.moved_more", pages=pages, why=explain("packing.copy_cost"))
        more = explain("packing.model_moves", pages=expected["pages_moved"])
        return Feedback(reveal).revealing(message, more)
    return None
