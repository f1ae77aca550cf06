"""Carves the learner's VM spec out of a model host and checks it against the workload; public."""

import copy

from tutor.explanations.vm_spec import spec_problem
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
    # Several specs can be right: only whether one exists is compared, never which; that none
    # does (the answer None) is said only with reveal.
    return spec_problem(actual, possible=expected["spec"] is not None, reveal=reveal)
