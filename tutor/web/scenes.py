"""Animation data, produced by running the simulation itself.

The page never hand-draws what a hypervisor does: each scene is the trace of a real ``tutor.sim``
run, so the animation shows exactly the behaviour the exercises are graded on.
"""

from __future__ import annotations

from typing import Any

from tutor.sim import COMPONENTS, LAYERS, OPERATIONS, Hypervisor, Kind
from tutor.sim.hypervisor import PATHS


def layer_stacks() -> dict[str, Any]:
    scenes = []
    for kind in Kind:
        for operation in OPERATIONS:
            hv = Hypervisor(kind)
            hv.perform(operation)
            scenes.append({"kind": kind.value, "op": operation, "events": hv.trace.events})
    stacks: dict[str, list[str]] = {}
    for (kind, _), steps in PATHS.items():
        for layer, _ in steps:
            if layer not in stacks.setdefault(kind.value, []):
                stacks[kind.value].append(layer)
    return {
        "layers": {k: {"owner": v.owner, "cycles": v.cycles} for k, v in LAYERS.items()},
        "stacks": stacks,
        "components": list(COMPONENTS),
        "scenes": scenes,
    }


SCENES = {"layer-stacks": layer_stacks}


def scenes_for(animation: str) -> dict[str, Any] | None:
    make = SCENES.get(animation)
    return make() if make else None
