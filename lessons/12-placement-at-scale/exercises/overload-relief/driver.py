"""Builds the model's pool with the given placement, lets a learner's relieve() live-migrate
guests, and grades the result: no host above the threshold, and no more memory migrated than
the model's own rule needs. Public (runs in the browser)."""

from tutor.explanations import explain
from tutor.grading.feedback import mistake
from tutor.sim import Host, ResourcePool, VmSpec

MODEL_ANSWERS = {"tutor.sim": ("ResourcePool",), "tutor.sim.pool": ("ResourcePool",)}


def _pool(args, trace):
    pool = ResourcePool([Host(h["name"], h["cores"], h["pages"]) for h in args["hosts"]], trace)
    specs = {}
    for h in args["hosts"]:
        for g in h["guests"]:
            specs[g["name"]] = VmSpec(g["name"], g["vcpus"], g["pages"], load=g["load"])
    pool.announce(specs.values())
    for h in args["hosts"]:
        for g in h["guests"]:
            pool.place(specs[g["name"]], lambda vm, hosts, name=h["name"]: name)
    trace.emit("pool.threshold", threshold=args["threshold"])
    return pool, specs


def run(submission, args, trace):
    pool, specs = _pool(args, trace)
    moved = []

    def migrate(vm_name, host_name):
        if vm_name not in specs:
            raise mistake(explain("packing.no_guest", vm=repr(vm_name)), KeyError)
        views = {v.name: v for v in pool.views()}
        if host_name not in views:
            raise mistake(explain("packing.no_host", host=repr(host_name)), KeyError)
        vm, view = specs[vm_name], views[host_name]
        if pool.host_of(vm_name) != host_name and not view.fits(vm):
            raise mistake(
                explain(
                    "packing.does_not_fit",
                    vm=vm_name,
                    vcpus=vm.vcpus,
                    pages=vm.memory_pages,
                    host=host_name,
                    free_vcpus=view.free_vcpus,
                    free_pages=view.free_pages,
                )
            )
        pool.move(vm_name, host_name)
        moved.append(vm_name)

    hot_before = pool.overloaded(args["threshold"])
    submission.relieve([_copy(h) for h in args["hosts"]], args["threshold"], migrate)
    hot = pool.overloaded(args["threshold"])
    return {
        "hot_before": hot_before,
        "hot_after": {name: round(pool.utilisation(name) * 100, 1) for name in hot},
        "pages_moved": sum(specs[name].memory_pages for name in moved),
        "moves": len(moved),
    }


def _copy(host):
    return {**host, "guests": [dict(g) for g in host["guests"]]}


def compare(args, expected, actual, reveal=False):
    pct = round(args["threshold"] * 100)
    for name, util in actual["hot_after"].items():
        key = "packing.still_hot" if name in actual["hot_before"] else "packing.pushed"
        return explain(key, host=name, util=f"{util:g}", pct=pct)
    if actual["pages_moved"] > expected["pages_moved"]:
        message = explain(
            "packing.moved_more",
            pages=actual["pages_moved"],
            why=explain("packing.copy_cost"),
        )
        if reveal:
            extra = explain("packing.model_moves", pages=expected["pages_moved"])
            message = {lang: message[lang] + extra[lang] for lang in message}
        return message
    return None
