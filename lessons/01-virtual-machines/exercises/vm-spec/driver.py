"""Carves the learner's VM spec out of a model host and checks it against the workload; public.
The model admits the spec or refuses it (naming the resource), then the next guest must still
be carved. Several specs can be right, so only whether one exists is compared, never which."""

import copy

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import sized_host, try_spec, workload_need

MODEL_ANSWERS = {"tutor.sim.testbed": ("workload_need",)}
RETURNS = {"spec": ({"vcpus": int, "memory_pages": int, "disk_blocks": int, "nic_mbps": int}, None)}


def run(submission, args, trace):
    host, load = args["host"], args["workload"]
    model = sized_host(host, trace)
    spec = submission.spec(copy.deepcopy(host), copy.deepcopy(load))
    if spec is None:
        return {"spec": None, "refused": None, "error": None, "short": [], "room": None}
    return try_spec(model, spec, workload_need(load), host["next"])


def compare(args, expected, actual, reveal=False):
    possible = expected["spec"] is not None
    if actual["spec"] is None:
        return None if not possible else explain("vm_spec.exists")
    if actual["refused"]:
        message = explain("vm_spec.refused", why=actual["refused"])
    elif actual["short"]:
        key = actual["short"][0]
        why = explain(f"vm_spec.needs.{key}")
        message = explain("vm_spec.short", key=key, value=actual["spec"][key], why=why)
    elif actual["room"] not in (None, True):
        message = explain("vm_spec.next_guest", why=actual["room"])
    elif possible:
        return None
    else:
        message = explain("vm_spec.passes")
    return message if possible else Feedback.joined(message, explain("vm_spec.none_needed"))
