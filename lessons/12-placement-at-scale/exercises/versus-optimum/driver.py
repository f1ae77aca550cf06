"""Packs the case's guests with the model (First Fit and FFD on a ResourcePool, the exact
optimum by branch and bound) and checks the learner's three counts against them. Public (runs
in the browser)."""

from tutor.explanations import explain
from tutor.sim import Host, ResourcePool, VmSpec

MODEL_ANSWERS = {
    "tutor.sim": ("optimal_bin_count", "ResourcePool"),
    "tutor.sim.pool": ("optimal_bin_count", "ResourcePool"),
}
RETURNS = {"compare": {"first_fit": int, "ffd": int, "optimum": int}}


def run(submission, args, trace):
    sizes, capacity = args["sizes"], args["capacity"]
    # The model's FFD run is the trace the replay draws: hosts as bins filling up.
    pool = ResourcePool([Host(f"h{i}", len(sizes), capacity) for i in range(len(sizes))], trace)
    vms = [VmSpec(f"g{i}", 1, size) for i, size in enumerate(sizes)]
    pool.announce(vms)
    pool.place_all(vms, "first_fit_decreasing")
    answer = submission.compare(list(sizes), capacity)
    return {key: answer[key] for key in RETURNS["compare"]}


def compare(args, expected, actual, reveal=False):
    for key in ("first_fit", "ffd", "optimum"):
        if actual[key] != expected[key]:
            message = explain(
                "packing.count_wrong",
                field=key,
                value=actual[key],
                why=explain(f"packing.counts.{key}"),
            )
            if reveal:
                extra = explain("packing.expected", value=expected[key])
                message = {lang: message[lang] + extra[lang] for lang in message}
            return message
    return None
