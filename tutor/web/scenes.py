"""Animation data, produced by running the simulation itself.

The page never hand-draws what a hypervisor does: each scene is the trace of a real ``tutor.sim``
run, so the animation shows exactly the behaviour the exercises are graded on. The data format is
described in docs/trace.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tutor.explanations import table
from tutor.sim import (
    COMPONENTS,
    LAYERS,
    OPERATIONS,
    PAGE_SIZE,
    SCHEMA_VERSION,
    Host,
    Hypervisor,
    Io,
    Kind,
    ResourcePool,
    VmSpec,
    examples_of,
    stack_of,
)
from tutor.sim.hypervisor import FAST_PATHS, NATIVE_PATHS, OWNERS
from tutor.web.consolidation_scenes import consolidation
from tutor.web.credit_scenes import credit_gantt
from tutor.web.isa_scenes import technique_costs, trap_and_emulate
from tutor.web.memory_scenes import page_map
from tutor.web.migration_scenes import migration_rounds
from tutor.web.placement_scenes import bin_packing
from tutor.web.slice_scenes import machine_slices
from tutor.web.virtualization_scenes import virtualization_types
from tutor.web.vm_files_scenes import vm_files

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
        # Why each layer is crossed, for the narration: the same sentences the feedback uses.
        "why": {key: table(f"layers.{key}") for key in ("crossed", "crossed_in")},
        "scenes": scenes,
    }


# ----- lesson 2: the resource pool --------------------------------------------------------------
GIB_PAGES = 2**30 // PAGE_SIZE
"""Pages in one GiB: the scenes size memory in whole GiB so the drawing can say "16 GiB"."""
POOL_DISK_TB = 4
"""Storage per host in the scenes (TB, approx.): pooled too, though placement here reserves only
vCPUs and memory."""


def _pool_story() -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Four hosts become one pool; guests are carved out first-fit; admission control refuses
    two; work finishes; a host fails and its guests restart elsewhere; consolidation empties a
    host and powers it off. Returns the events and the chapters (first event of each)."""
    pool = ResourcePool(
        Host(f"host-{i}", cores=8, memory_pages=32 * GIB_PAGES) for i in range(1, 5)
    )
    chapters = [{"at": 0, "key": "merge"}]
    guests = [
        ("web", 2, 8, 0.5),
        ("db", 4, 16, 0.6),
        ("ml", 4, 16, 0.9),
        ("app", 2, 8, 0.4),
        ("cache", 2, 8, 0.3),
        ("batch", 4, 20, 0.8),
        ("huge", 4, 40, 0.5),
        ("crm", 4, 24, 0.5),
        ("etl", 4, 16, 0.7),
    ]
    for name, vcpus, gib, load in guests:
        if name == "web":
            chapters.append({"at": len(pool.trace.events), "key": "place"})
        if name == "huge":
            chapters.append({"at": len(pool.trace.events), "key": "admit"})
        pool.try_place(VmSpec(name, vcpus, gib * GIB_PAGES, load))
    chapters.append({"at": len(pool.trace.events), "key": "finish"})
    pool.remove("batch")
    chapters.append({"at": len(pool.trace.events), "key": "fail"})
    pool.fail_host("host-2")
    chapters.append({"at": len(pool.trace.events), "key": "consolidate"})
    pool.remove("web")
    pool.remove("app")
    pool.consolidate()
    pool.check()
    return pool.trace.events, chapters, _figures(pool)


def _figures(pool: ResourcePool) -> dict[str, Any]:
    """The pool's figures at the end of a scene, from the model: what the drawing must show."""
    return {
        "capacity": [pool.capacity_vcpus, pool.capacity_pages],
        "reserved": [pool.reserved_vcpus, pool.reserved_pages],
        "hosts_on": pool.hosts_on(),
        "failed": [h.name for h in pool.hosts if pool.failed(h.name)],
    }


def _pool_refusals() -> list[dict[str, Any]]:
    """Two hosts and the three ways a guest that fits nowhere is refused."""
    pool = ResourcePool(Host(f"host-{i}", cores=8, memory_pages=32 * GIB_PAGES) for i in (1, 2))
    for name, vcpus, gib in (("a", 6, 24), ("b", 6, 24), ("big", 4, 40), ("c", 4, 20)):
        pool.try_place(VmSpec(name, vcpus, gib * GIB_PAGES, 0.5))
    pool.try_place(VmSpec("d", 2, 12 * GIB_PAGES, 0.5))
    return pool.trace.events


def _pool_no_headroom() -> list[dict[str, Any]]:
    """Three full hosts: when one fails, the survivors lack the headroom for all its guests."""
    pool = ResourcePool(Host(f"host-{i}", cores=8, memory_pages=32 * GIB_PAGES) for i in (1, 2, 3))
    for name, vcpus, gib in (("a", 4, 16), ("b", 2, 8), ("c", 4, 16), ("d", 4, 16), ("e", 2, 8)):
        pool.try_place(VmSpec(name, vcpus, gib * GIB_PAGES, 0.5))
    pool.try_place(VmSpec("f", 2, 8 * GIB_PAGES, 0.5))
    pool.fail_host("host-1")
    return pool.trace.events


def resource_pool() -> dict[str, Any]:
    story, chapters, figures = _pool_story()
    return {
        "schema": SCHEMA_VERSION,
        "page_size": PAGE_SIZE,
        "disk_tb": POOL_DISK_TB,
        "power": {"idle": Host("p", 1, 1).idle_watts, "max": Host("p", 1, 1).p_max},
        "default": "story",
        "scenes": [
            {
                "id": "story",
                "kind": "story",
                "chapters": chapters,
                "figures": figures,
                "events": story,
            },
            {"id": "refusals", "kind": "refusals", "events": _pool_refusals()},
            {"id": "no-headroom", "kind": "no-headroom", "events": _pool_no_headroom()},
        ],
    }


SCENES = {"layer-stacks": layer_stacks, "resource-pool": resource_pool}
SCENES["virtualization-types"] = virtualization_types
SCENES["consolidation"] = consolidation
SCENES["vm-files"] = vm_files
SCENES["machine-slices"] = machine_slices
SCENES["trap-and-emulate"] = trap_and_emulate
SCENES["technique-costs"] = technique_costs
SCENES["migration-rounds"] = migration_rounds
SCENES["bin-packing"] = bin_packing
SCENES["credit-gantt"] = credit_gantt
SCENES["page-map"] = page_map
RENDERERS = Path(__file__).resolve().parents[2] / "static/js/viz"


def registered() -> set[str]:
    """Animations that exist: scenes here and a renderer module ``static/js/viz/<name>.js``."""
    return {name for name in SCENES if (RENDERERS / f"{name}.js").is_file()}


def scenes_for(animation: str) -> dict[str, Any] | None:
    make = SCENES.get(animation)
    return make() if make else None
