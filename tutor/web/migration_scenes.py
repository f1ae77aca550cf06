"""Lesson 11's animation data: pre-copy live migrations, each a real ``tutor.sim.precopy`` run.

Four scenes on the same 1 GB guest and 1 Gb/s link, so only the workload and the stop rules
change: a guest that dirties 100 Mb/s converges in a few shrinking rounds and pauses for a
fraction of a millisecond; one that dirties as fast as the link never shrinks, so Xen's v2 rules
stop after 5 rounds and pause it for seconds, and the legacy rules stop once 3x memory is sent;
a guest with a small writable working set converges to it.
"""

from __future__ import annotations

from typing import Any

from tutor.sim import SCHEMA_VERSION, ConstantDirtyRate, HotPageDirtier, Trace, precopy

MEMORY_MB = 1024.0
LINK_MBPS = 1000.0


def _run(dirty: Any, rules: str, memory_mb: float = MEMORY_MB) -> list[dict[str, Any]]:
    trace = Trace()
    precopy(memory_mb, dirty, bandwidth_mbps=LINK_MBPS, rules=rules, trace=trace, guest="web")
    return trace.events


def migration_rounds() -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "default": "converges",
        "page_mb": 4096 / 1_000_000,
        "scenes": [
            {
                "id": "converges",
                "kind": "converges",
                "events": _run(ConstantDirtyRate(MEMORY_MB, 100.0), "xen-v2"),
            },
            {
                "id": "never-converges",
                "kind": "never",
                "events": _run(ConstantDirtyRate(MEMORY_MB, 1000.0), "xen-v2"),
            },
            {
                "id": "legacy",
                "kind": "legacy",
                "events": _run(ConstantDirtyRate(MEMORY_MB, 1000.0), "xen-4.5"),
            },
            {
                "id": "working-set",
                "kind": "wws",
                "events": _run(
                    HotPageDirtier(256.0, writes_per_s=20_000, hot_pages=500, seed=7),
                    "xen-4.5",
                    memory_mb=256.0,
                ),
            },
        ],
    }
