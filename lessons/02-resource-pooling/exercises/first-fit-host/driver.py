"""Places guests into a pool with the learner's first_fit() as the policy; public.

The model checks every choice against the host's free capacity, so a prediction that puts a guest
where it does not fit fails with the rule it broke; a legal but different host is compared with
First Fit's choice, guest by guest.
"""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback, mistake
from tutor.sim import CapacityExceeded, Host, ResourcePool, VmSpec

RETURNS = {"first_fit": (str, None)}
MODEL_ANSWERS = {
    "tutor.sim": ("ResourcePool",),
    "tutor.sim.pool": ("ResourcePool", "_FitIndex"),
}


def run(submission, args, trace):
    pool = ResourcePool(
        (Host(h["name"], cores=h["cores"], memory_pages=h["pages"]) for h in args["hosts"]),
        trace=trace,
    )

    def policy(vm, views):
        hosts = [
            {
                "name": v.name,
                "free_vcpus": v.free_vcpus,
                "free_pages": v.free_pages,
                "on": v.powered_on,
            }
            for v in views
        ]
        chosen = submission.first_fit(
            {"name": vm.name, "vcpus": vm.vcpus, "pages": vm.memory_pages}, hosts
        )
        if chosen is None:
            raise mistake(explain("placement.returned_none", vm=vm.name))
        return chosen

    # Not "first_fit": the replay must not narrate a wrong choice as First Fit's.
    policy.__name__ = "learner"
    placed = []
    for g in args["guests"]:
        try:
            placed.append(pool.try_place(VmSpec(g["name"], g["vcpus"], g["pages"]), policy))
        except CapacityExceeded as broken:
            no_room = explain("placement.no_room", vm=g["name"])
            broken = {"en": str(broken), "zh": broken.zh or no_room["zh"]}
            raise mistake(explain("placement.does_not_fit", broken=broken)) from None
    pool.check()
    return {"placed": placed, "on": [v.name for v in pool.views() if v.powered_on]}


def compare(args, expected, actual, reveal=False):
    names = [h["name"] for h in args["hosts"]]
    for guest, want, got in zip(args["guests"], expected["placed"], actual["placed"], strict=True):
        if got != want:
            why = "earlier_host" if names.index(got) > names.index(want) else "not_first"
            message = Feedback.because(
                explain("placement.went_to", vm=guest["name"], host=got),
                explain(f"placement.{why}"),
            )
            return Feedback(reveal).revealing(message, expected=repr(want))
    return None if actual["on"] == expected["on"] else explain("placement.hosts_on")
