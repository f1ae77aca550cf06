"""Animation data, produced by running the simulation itself.

The page never hand-draws what a hypervisor does: each scene is the trace of a real ``tutor.sim``
run, so the animation shows exactly the behaviour the exercises are graded on. The data format is
described in docs/trace.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tutor.sim import (
    COMPONENTS,
    LAYERS,
    OPERATIONS,
    SCHEMA_VERSION,
    Hypervisor,
    Io,
    Kind,
    examples_of,
    stack_of,
)
from tutor.sim.hypervisor import FAST_PATHS, NATIVE_PATHS, OWNERS

# The comparison a learner should see first: the same disk read through all four designs.
DEFAULT_OPERATION = "disk_read"
# Compare scenes come first, in the order the lesson teaches the operations.
SCENE_OPERATIONS = (DEFAULT_OPERATION, *(op for op in OPERATIONS if op != DEFAULT_OPERATION))


def _run(kind: Kind, operation: str, io: Io = Io.DEFAULT) -> list[dict[str, Any]]:
    hv = Hypervisor(kind, io=io)
    hv.perform(operation)
    return hv.trace.events


def layer_stacks() -> dict[str, Any]:
    runs = {(kind, op): _run(kind, op) for kind in Kind for op in SCENE_OPERATIONS}
    scenes: list[dict[str, Any]] = []
    for op in SCENE_OPERATIONS:
        # One run after the other rather than interleaved, so every step is one event with one
        # sentence to read out, while all the running totals stay on screen to compare.
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
    # The faster network paths, each on the stack of its design, in the order the lesson tells
    # them: vhost-net first (KVM only), then SR-IOV in every design that has it.
    for kind, op, io in sorted(
        FAST_PATHS, key=lambda key: (list(Io).index(key[2]), list(Kind).index(key[0]))
    ):
        scenes.append(
            {
                "id": f"{kind.value}/{op}/{io.value}",
                "kind": kind.value,
                "op": op,
                "io": io.value,
                "events": _run(kind, op, io),
            }
        )
    return {
        "schema": SCHEMA_VERSION,
        "kinds": [kind.value for kind in Kind],
        "layers": {k: {"owner": v.owner, "cycles": v.cycles} for k, v in LAYERS.items()},
        "owners": list(OWNERS),
        "stacks": {kind.value: stack_of(kind) for kind in Kind},
        "components": list(COMPONENTS),
        "operations": list(SCENE_OPERATIONS),
        "native": {
            op: sum(LAYERS[layer].cycles for layer in NATIVE_PATHS[op]) for op in SCENE_OPERATIONS
        },
        "examples": {kind.value: examples_of(kind) for kind in Kind},
        "default": f"compare/{DEFAULT_OPERATION}",
        "scenes": scenes,
    }


SCENES = {"layer-stacks": layer_stacks}
RENDERERS = Path(__file__).resolve().parents[2] / "static/js/viz"


def registered() -> set[str]:
    """Animations that exist: scenes here and a renderer module ``static/js/viz/<name>.js``."""
    return {name for name in SCENES if (RENDERERS / f"{name}.js").is_file()}


def scenes_for(animation: str) -> dict[str, Any] | None:
    make = SCENES.get(animation)
    return make() if make else None
