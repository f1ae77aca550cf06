"""Gives a learner's ffd() the model's pool through one call, place(vm, host), and grades the
packing it built: which host each guest landed on, in which order, and the hosts it lit.
Public (runs in the browser)."""

from tutor.explanations import explain
from tutor.grading.feedback import mistake
from tutor.sim import Host, ResourcePool, VmSpec

# The order of placement is the algorithm: the trace must match FFD's, not only the result.
GRADE_TRACE = True
MODEL_ANSWERS = {
    "tutor.sim": ("ResourcePool",),
    "tutor.sim.pool": ("ResourcePool",),
}
RETURNS = {"ffd": int}


def run(submission, args, trace):
    pool = ResourcePool([Host(h["name"], h["cores"], h["pages"]) for h in args["hosts"]], trace)
    specs = {v["name"]: VmSpec(v["name"], v["vcpus"], v["pages"]) for v in args["vms"]}
    pool.announce(specs.values())

    def place(vm_name, host_name):
        if vm_name not in specs:
            raise mistake(explain("packing.no_guest", vm=repr(vm_name)), KeyError)
        free = {h.name: h for h in pool.views()}
        if host_name not in free:
            raise mistake(explain("packing.no_host", host=repr(host_name)), KeyError)
        vm, view = specs[vm_name], free[host_name]
        if not view.fits(vm):
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
        pool.place(vm, lambda vm, hosts: host_name)

    used = submission.ffd([dict(v) for v in args["vms"]], [dict(h) for h in args["hosts"]], place)
    placement = {}
    for name in specs:
        try:
            placement[name] = pool.host_of(name)
        except Exception:
            placement[name] = None
    order = [e["vm"] for e in trace.events if e["kind"] == "pool.place"]
    return {
        "placement": placement,
        "order": order,
        "hosts_on": pool.hosts_on(),
        "used": used,
    }


def _revealing(message, reveal, value):
    if not reveal:
        return message
    extra = explain("packing.expected", value=value)
    return {lang: message[lang] + extra[lang] for lang in message}


def compare(args, expected, actual, reveal=False):
    rule = explain("packing.ffd_rule")
    for name in expected["placement"]:
        if actual["placement"].get(name) is None:
            return explain("packing.never_placed", vm=name)
    for i, (want, got) in enumerate(zip(expected["order"], actual["order"], strict=False)):
        if want != got:
            message = explain("packing.wrong_order", i=i + 1, vm=got, why=rule)
            return _revealing(message, reveal, want)
    for name, host in expected["placement"].items():
        got = actual["placement"][name]
        if got != host:
            message = explain("packing.not_first_host", vm=name, host=got, why=rule)
            return _revealing(message, reveal, host)
    if actual["used"] != actual["hosts_on"]:
        return explain("packing.hosts_count", returned=actual["used"], lit=actual["hosts_on"])
    return None
