"""Animation data, produced by running the simulation itself.

The page never hand-draws what a hypervisor does: each scene is the trace of a real ``tutor.sim``
run, so the animation shows exactly the behaviour the exercises are graded on. The data format is
described in docs/trace.md.
"""

from __future__ import annotations

from typing import Any

from tutor.sim import COMPONENTS, EXAMPLES, LAYERS, OPERATIONS, SCHEMA_VERSION, Hypervisor, Kind
from tutor.sim.hypervisor import NATIVE_PATHS, PATHS

# The comparison a learner should see first: the same disk read through all three designs.
DEFAULT_OPERATION = "disk_read"
# Compare scenes come first, in the order the lesson teaches the operations.
SCENE_OPERATIONS = (DEFAULT_OPERATION, *(op for op in OPERATIONS if op != DEFAULT_OPERATION))


def _run(kind: Kind, operation: str) -> list[dict[str, Any]]:
    hv = Hypervisor(kind)
    hv.perform(operation)
    return hv.trace.events


def _stacks() -> dict[str, list[str]]:
    """Each design's layers in the order a request meets them, from every path it can take."""
    stacks: dict[str, list[str]] = {kind.value: [] for kind in Kind}
    for (kind, _), steps in PATHS.items():
        for layer, _ in steps:
            if layer not in stacks[kind.value]:
                stacks[kind.value].append(layer)
    return stacks


def layer_stacks() -> dict[str, Any]:
    runs = {(kind, op): _run(kind, op) for kind in Kind for op in SCENE_OPERATIONS}
    scenes: list[dict[str, Any]] = []
    for op in SCENE_OPERATIONS:
        # One run after the other rather than interleaved, so every step is one event with one
        # sentence to read out, while all three running totals stay on screen to compare.
        events = [event for kind in Kind for event in runs[(kind, op)]]
        scenes.append({"id": f"compare/{op}", "kind": "compare", "op": op, "events": events})
    for kind in Kind:
        for op in SCENE_OPERATIONS:
            scenes.append(
                {
                    "id": f"{kind.value}/{op}",
                    "kind": kind.value,
                    "op": op,
                    "events": runs[(kind, op)],
                }
            )
    examples: dict[str, list[str]] = {kind.value: [] for kind in Kind}
    for name, kind in EXAMPLES.items():
        examples[kind.value].append(name)
    return {
        "schema": SCHEMA_VERSION,
        "kinds": [kind.value for kind in Kind],
        "layers": {k: {"owner": v.owner, "cycles": v.cycles} for k, v in LAYERS.items()},
        "stacks": _stacks(),
        "components": list(COMPONENTS),
        "operations": list(SCENE_OPERATIONS),
        "native": {
            op: sum(LAYERS[layer].cycles for layer in NATIVE_PATHS[op]) for op in SCENE_OPERATIONS
        },
        "examples": examples,
        "default": f"compare/{DEFAULT_OPERATION}",
        "scenes": scenes,
    }


SCENES = {"layer-stacks": layer_stacks}


def scenes_for(animation: str) -> dict[str, Any] | None:
    make = SCENES.get(animation)
    return make() if make else None
