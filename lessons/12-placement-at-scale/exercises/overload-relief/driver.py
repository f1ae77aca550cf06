"""Builds the model's pool with the given placement, lets a learner's relieve() live-migrate
guests, and grades the result: no host above the threshold, and no more memory migrated than
the model's own rule needs; public."""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import loaded_pool, named_target

MODEL_ANSWERS = {"tutor.sim": ("ResourcePool",), "tutor.sim.pool": ("ResourcePool",)}


def run(submission, args, trace):
    threshold, moved = args["threshold"], []
    pool, specs = loaded_pool(args["hosts"], threshold, trace)

    def migrate(vm_name, host_name):
        pool.move(named_target(pool, specs, vm_name, host_name, moving=True).name, host_name)
        moved.append(vm_name)

    hot_before = pool.overloaded(threshold)
    hosts = [{**h, "guests": [dict(g) for g in h["guests"]]} for h in args["hosts"]]
    submission.relieve(hosts, threshold, migrate)
    return {
        "hot_before": hot_before,
        "hot_after": {h: round(pool.utilisation(h) * 100, 1) for h in pool.overloaded(threshold)},
        "pages_moved": sum(specs[name].memory_pages for name in moved),
        "moves": len(moved),
    }


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
