"""Writes a VM's files as a hypervisor lays them out and opens them with open_vm(); public."""

from tutor.explanations import table
from tutor.explanations.vm_files import disk_problem
from tutor.grading.feedback import Feedback
from tutor.sim import Guest
from tutor.sim.testbed import guest_state, vm_files, worked_guest

RETURNS = {"open_vm": Guest}
FIRST = ("state", "host", "config")


def run(submission, args, trace):
    guest = worked_guest(args, trace)
    guest.save() if args["running"] else guest.stop()
    saved, opened = guest.state_hash(), submission.open_vm(vm_files(guest), args["target"], trace)
    return {**guest_state(opened), "same_hash": opened.state_hash() == saved}


def compare(args, expected, actual, reveal=False):
    check, why = Feedback(reveal), table("vm_files")
    wants = expected["disks"].items()
    disks = (disk_problem(disk, want, actual["disks"].get(disk, {})) for disk, want in wants)
    return check.first(
        *(check.equal(key, expected[key], actual[key], why=why[key]) for key in FIRST),
        next((check.revealing(*problem) for problem in disks if problem), None),
        None if actual["memory"] == expected["memory"] else why["memory"],
        check.equal("cpu", expected["cpu"], actual["cpu"], why=why["cpu"]),
        None if actual["same_hash"] == expected["same_hash"] else why["keys"],
    )
