"""Asks a resource pool for guests in turn; the learner's admit() decides each one; public.

An "admit" goes to the model, which places the guest with First Fit, or refuses it itself if it
does not fit: that refusal is the learner's broken rule (reservations never exceed capacity). A
refusal is recorded with the learner's reason, so the replay shows the run the learner chose.
"""

from tutor.explanations import explain, table
from tutor.grading.feedback import Feedback, mistake
from tutor.sim import Host, ResourcePool, VmSpec

RETURNS = {
    "admit": {
        "capacity": {"vcpus": int, "pages": int},
        "headroom": {"vcpus": int, "pages": int},
        "verdict": str,
    }
}
MODEL_ANSWERS = {
    "tutor.sim": ("ResourcePool", "REFUSALS"),
    "tutor.sim.pool": ("ResourcePool", "REFUSALS"),
}

WHY = table("admission.why")
VERDICT = table("admission.verdict")


def _hosts(pool):
    return [
        {
            "name": v.name,
            "cores": v.cores,
            "pages": v.memory_pages,
            "free_vcpus": v.free_vcpus,
            "free_pages": v.free_pages,
        }
        for v in pool.views()
    ]


def run(submission, args, trace):
    pool = ResourcePool(
        (Host(h["name"], cores=h["cores"], memory_pages=h["pages"]) for h in args["hosts"]),
        trace=trace,
    )
    answers = []
    for guest in args["guests"]:
        vm = VmSpec(guest["name"], guest["vcpus"], guest["pages"], guest.get("load", 1.0))
        answer = submission.admit(_hosts(pool), dict(guest))
        answers.append(answer)
        if answer["verdict"] == "admit":
            pool.try_place(vm)
        elif answer["verdict"] in VERDICT:
            pool.decline(vm, answer["verdict"])
        else:
            verdicts = ", ".join(VERDICT)
            raise mistake(
                explain("admission.unknown_verdict", verdict=answer["verdict"], verdicts=verdicts)
            )
    pool.check()
    placed = {g["name"]: pool.host_of(g["name"]) for g in args["guests"] if _placed(pool, g)}
    return {"answers": answers, "placed": placed}


def _placed(pool, guest):
    return any(guest["name"] in v.vms for v in pool.views())


def compare(args, expected, actual, reveal=False):
    check = Feedback(reveal)
    for guest, want, got in zip(
        args["guests"], expected["answers"], actual["answers"], strict=True
    ):
        name = guest["name"]
        problem = check.first(
            check.equal("capacity", want["capacity"], got["capacity"], why=WHY["capacity"]),
            check.equal("headroom", want["headroom"], got["headroom"], why=WHY["headroom"]),
        )
        if problem:
            before = explain("admission.before", name=name)
            return {lang: before[lang] + problem[lang] for lang in problem}
        if got["verdict"] != want["verdict"]:
            # Why the learner's verdict is impossible; the right one only when it may be named.
            if reveal:
                why = VERDICT[want["verdict"]]
            elif want["verdict"] == "too_big" and got["verdict"] != "admit":
                why = ORDER
            else:
                why = NOT.get(got["verdict"], VERDICT["admit"])
            message = Feedback.because(
                explain("admission.your_verdict", name=name, verdict=got["verdict"]), why
            )
            return check.revealing(message, expected=repr(want["verdict"]))
    if actual["placed"] != expected["placed"]:
        return explain("admission.pool_differs")
    return None


NOT = table("admission.not")


ORDER = explain("admission.order")
