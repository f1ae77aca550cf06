"""The model a grading case describes, set up the same way for the learner's run and the
reference's.

A driver's ``run`` used to build its hosts, guests and pools by hand from the case's JSON, so
every driver repeated the same dozen lines and a change to the model touched them all. Each
function here builds one such set-up from a case's plain data and returns the model objects;
none computes an exercise's answer (a driver hides the few that come close with
``MODEL_ANSWERS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .trace import Trace


def draw_path(
    trace: Trace,
    kind: str,
    operation: str,
    layers: Iterable[str],
    cycles: Mapping[str, int],
    io: str | None = None,
) -> list[str]:
    """A predicted path drawn on the design's stack as the model would draw its own: the
    replay shows the learner's layers, each with its cost on this machine (0 for a layer the
    model does not know)."""
    path = list(layers)
    start: dict[str, Any] = {"hv": kind, "op": operation, "guest": "vm1"}
    if io is not None:
        start["io"] = io
    trace.emit("op.start", **start)
    for layer in path:
        trace.emit("layer.enter", layer=layer, dir="down", cycles=cycles.get(layer, 0))
    trace.emit("op.end", op=operation, cycles=sum(cycles.get(layer, 0) for layer in path))
    return path


def machine_cycles(costs: Mapping[str, int] | None = None) -> dict[str, int]:
    """This machine's cycles for every layer: the lesson's table, with a case's changes."""
    from .hypervisor import LAYERS

    changed = costs or {}
    return {layer: int(changed.get(layer, info.cycles)) for layer, info in LAYERS.items()}


def cycles_saved(kind: str, io: str, costs: Mapping[str, int]) -> int:
    """How many cycles a guest's network send saves on the faster ``io`` path, on a machine
    whose layers cost ``costs`` (the textbook's table where it is empty): two model runs."""
    from .hypervisor import Hypervisor, Io, Kind

    slow = Hypervisor(Kind(kind), costs=dict(costs)).perform("net_send")
    return slow - Hypervisor(Kind(kind), costs=dict(costs), io=Io(io)).perform("net_send")
