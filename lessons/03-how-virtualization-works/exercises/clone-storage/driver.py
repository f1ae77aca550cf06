"""Plays a plan of disk writes and linked clones on the model, and checks the learner's forecast.

The learner's predict_storage(plan) sees only the plan and must say, before the model runs it, how
many blocks each guest's own copy-on-write delta will hold and how many blocks are stored in all.
The model then carries the plan out (its trace is what the animation replays) and measures both;
the forecast is graded against the model's measurement, never against a formula of ours.
"""

import copy

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim import Guest, storage_blocks

RETURNS = {"predict_storage": {"per_guest": {str: int}, "total": int}}
# Running the plan on the model would be measuring, not predicting.
MODEL_ANSWERS = {
    "tutor.sim": ("Guest", "DiskImage", "storage_blocks", "DesktopPool"),
    "tutor.sim.guest": ("Guest", "DiskImage", "storage_blocks"),
    "tutor.sim.scenarios": ("DesktopPool",),
}


def carry_out(plan, trace):
    """The plan on the model: every write a distinct non-zero value, clones started to write."""
    golden = Guest(
        plan["golden"], memory_pages=4, disk_blocks={"disk0": plan["blocks"]}, trace=trace
    )
    golden.start("host-a")
    guests = {golden.name: golden}
    value = 0
    for step in plan["steps"]:
        if step[0] == "write":
            for block in step[2]:
                value += 1
                guests[step[1]].write_disk("disk0", block, value)
        else:
            clone = guests[step[1]].linked_clone(step[2])
            clone.start()
            guests[clone.name] = clone
    return guests


def run(submission, args, trace):
    forecast = submission.predict_storage(copy.deepcopy(args["plan"]))
    guests = carry_out(args["plan"], trace)
    return {
        "predicted": forecast,
        "measured": {
            "per_guest": {name: g.own_blocks() for name, g in guests.items()},
            "total": storage_blocks(list(guests.values())),
            "full_copies": sum(len(g.disks["disk0"].contents()) for g in guests.values()),
        },
    }


def layers(plan):
    """Each guest's write lists, split where a clone froze its delta: {guest: [[blocks], ...]}."""
    split = {plan["golden"]: [[]]}
    for step in plan["steps"]:
        if step[0] == "write":
            split[step[1]][-1].extend(step[2])
        else:
            split[step[1]].append([])
            split[step[2]] = [[]]
    return split


def compare(args, expected, actual, reveal=False):
    check, measured, got = Feedback(reveal), actual["measured"], actual["predicted"]
    split, golden = layers(args["plan"]), args["plan"]["golden"]
    per_guest, mistakes = {}, {}
    for name, own in ((name, split[name][-1]) for name in measured["per_guest"]):
        every = len({b for layer in split[name] for b in layer})
        mistakes[name] = {every: explain("clones.frozen", name=name)}
        if len(own) != len(set(own)):
            mistakes[name][len(own)] = explain("clones.written_twice")
        per_guest[name] = explain("clones.own_delta", name=name)
    writes = sum(len(layer) for guest in split.values() for layer in guest)
    return check.first(
        check.items(
            "per_guest",
            measured["per_guest"],
            got["per_guest"],
            why=explain("clones.guests"),
            why_extra=explain("clones.guests"),
            why_value=per_guest,
            mistakes=mistakes,
        ),
        check.equal(
            "total",
            measured["total"],
            got["total"],
            why=explain("clones.total"),
            mistakes={
                writes: explain("clones.every_write"),
                measured["full_copies"]: explain("clones.full_copies"),
                sum(measured["per_guest"].values()): explain("clones.forgets_base", golden=golden),
            },
        ),
    )
