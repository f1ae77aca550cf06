"""Builds the scene a learner's classification implies on the model and checks its need; public."""

from tutor.explanations import explain, table
from tutor.grading.feedback import Feedback
from tutor.sim.scenarios import TYPES
from tutor.sim.testbed import build_scene, needed_vnfs

# Packing the servers is the prediction this exercise asks for: learner code gets the model's
# packing without these names.
MODEL_ANSWERS = {
    "tutor.sim": ("consolidate_servers",),
    "tutor.sim.scenarios": ("consolidate_servers",),
    "tutor.sim.testbed": ("build_scene", "needed_vnfs"),
}
RETURNS = {"plan": {"type": str, "scene": {str: (int, str, [str], {str: {str: str}})}}}


def run(submission, args, trace):
    answer = submission.plan(args["facts"])
    if answer["type"] not in TYPES:
        return {"type": answer["type"], "met": False}
    return build_scene(answer["type"], args["facts"], answer["scene"], trace)


def compare(args, expected, actual, reveal=False):
    check, kind, facts = Feedback(reveal), actual["type"], args["facts"]
    if kind not in TYPES:
        why = explain("virtualization_types.unknown_type", types=", ".join(TYPES))
        return check.equal("type", expected["type"], kind, why=why)
    if kind != expected["type"]:
        return check.equal(
            "type", expected["type"], kind, mistakes=table("virtualization_types.gives")
        )
    if actual["met"] or "why" in actual:
        return actual.get("why")
    rows = sum(len(rows) for rows in facts["sources"].values()) if kind == "data" else 0
    unmet = explain(
        f"virtualization_types.unmet.{kind}", complete=actual.get("complete", 0), total=rows
    )
    if kind in ("desktop", "server"):
        key, want = (
            ("desktops", facts["users"]) if kind == "desktop" else ("hosts", expected["hosts"])
        )
        return check.equal(key, want, actual[key], why=unmet)
    if kind == "network_function":
        vnf, extra = table("virtualization_types.vnf"), explain("virtualization_types.unasked_vnf")
        chain, want = actual.get("chain", []), needed_vnfs(facts["network"])
        return check.first(
            check.members("chain", want, chain, why_extra=extra, why_missing=vnf), unmet
        )
    return unmet
