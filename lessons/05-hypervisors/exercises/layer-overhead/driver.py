"""Runs one operation through the model and hands its events to the learner's overhead(); public."""

import copy

from tutor.explanations import explain, table
from tutor.grading.feedback import Feedback
from tutor.sim import LAYERS, Hypervisor, path_of
from tutor.sim.hypervisor import NATIVE_PATHS

FIELDS = {"per_layer": {str: int}, "total": int, "native": int, "overhead": int}
RETURNS = {"overhead": {**FIELDS, "dominant": (str, None)}}


def run(submission, args, trace):
    costs = {layer: int(cycles) for layer, cycles in args.get("costs", {}).items()}
    Hypervisor(args["kind"], trace=trace, costs=costs).perform(args["operation"])
    result = submission.overhead(copy.deepcopy(trace.events), args["operation"])
    return {key: result[key] for key in RETURNS["overhead"]}


def compare(args, expected, actual, reveal=False):
    check, costs, native = Feedback(reveal), args.get("costs", {}), table("overhead.native")
    textbook = sum(LAYERS[layer].cycles for layer in path_of(args["kind"], args["operation"]))
    book = explain("overhead.textbook")
    return check.first(
        check.equal(
            "total",
            expected["total"],
            actual["total"],
            why=explain("overhead.total"),
            mistakes={textbook: book} if costs else None,
        ),
        check.items(
            "per_layer",
            expected["per_layer"],
            actual["per_layer"],
            why=table("overhead.layer"),
            known=LAYERS,
            why_extra={**dict.fromkeys(LAYERS, explain("overhead.never_crossed")), **native},
            why_value=explain("overhead.layer_cost"),
            mistakes={layer: {LAYERS[layer].cycles: book} for layer in costs},
        ),
        check.equal(
            "native",
            expected["native"],
            actual["native"],
            why=explain("overhead.native_sum", layers=", ".join(NATIVE_PATHS[args["operation"]])),
        ),
        check.equal(
            "overhead",
            expected["overhead"],
            actual["overhead"],
            # With total and native right, "total - native = a - b" would be the answer.
            why=explain("overhead.difference", total=actual["total"], native=actual["native"])
            if reveal
            else explain("overhead.subtract"),
        ),
        check.equal(
            "dominant",
            expected["dominant"],
            actual["dominant"],
            why=explain("overhead.dominant"),
            mistakes=native,
        ),
    )
