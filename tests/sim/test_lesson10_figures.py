"""Every figure lesson 10 (memory-virtualization) states, computed by the model, with its source."""

from __future__ import annotations

from typing import Any

import pytest

from tutor.sim import TaxClient, idle_tax_allocation, page_faults, shares_per_page
from tutor.web.memory_scenes import BELADY, page_map

SCENES = {scene["id"]: scene["events"] for scene in page_map()["scenes"]}


def _frames_in_use(events: list[dict[str, Any]], upto_kind: str | None = None) -> int:
    """Frames in use after replaying a scene's alloc/share/cow/balloon events (up to and including
    the first event of ``upto_kind``)."""
    used: set[int] = set()
    owners: dict[int, int] = {}
    for e in events:
        kind = e["kind"]
        if kind in ("mem.alloc", "mem.swap_in"):
            used.add(e["mpn"])
            owners[e["mpn"]] = 1
        elif kind == "mem.share":
            used.difference_update(e["freed"])
        elif kind == "mem.cow":
            used.add(e["mpn"])
        elif kind == "mem.swap_out":
            used.discard(e["mpn"])
        if kind == upto_kind:
            break
    return len(used)


def test_idle_memory_tax_rho_waldspurger_2002_s5_2() -> None:
    """ρ = S / (P·(f + k(1−f))), k = 1/(1−τ), default τ = 0.75 (§5.2, §5.3)."""
    assert shares_per_page(1000, 100, 0.5, tau=0.75) == pytest.approx(4.0)
    assert shares_per_page(1000, 100, 0.0, tau=0.75) == pytest.approx(2.5)
    pages = idle_tax_allocation(
        500, [TaxClient("busy", 1000, 0.5, 400), TaxClient("idle", 1000, 0.0, 400)]
    )
    assert pages["idle"] < pages["busy"]  # the idle client loses memory first


def test_beladys_anomaly_belady_nelson_shedler_1969_and_opt_ostep() -> None:
    """FIFO 9 misses with 3 frames, 10 with 4; OPT 7 (OSTEP paging-policy.py -p OPT -C 3)."""
    assert page_faults(BELADY, 3, "fifo").misses == 9
    assert page_faults(BELADY, 4, "fifo").misses == 10
    assert page_faults(BELADY, 3, "opt").misses == 7
    assert page_faults(BELADY, 4, "lru").misses <= page_faults(BELADY, 3, "lru").misses


def test_the_sharing_scene_uses_8_then_3_then_4_frames() -> None:
    """Lesson text: 8 frames before sharing, 3 after, 4 after B's write (copy-on-write)."""
    events = SCENES["share"]
    assert _frames_in_use(events, "mem.write") == 1
    before = max(
        _frames_in_use(events[: i + 1]) for i, e in enumerate(events) if e["kind"] != "mem.share"
    )
    assert before == 8
    assert _frames_in_use(events, "mem.share") == 3
    assert _frames_in_use(events) == 4


def test_salting_costs_a_frame_in_the_scene() -> None:
    """Lesson text: with per-VM salts the same guests use 4 frames after sharing, not 3."""
    events = SCENES["salted"]
    shares = [i for i, e in enumerate(events) if e["kind"] == "mem.share"]
    assert _frames_in_use(events[: shares[-1] + 1]) == 4
    assert all(len({g for g, _ in events[i]["pages"]}) == 1 for i in shares)


def test_the_balloon_scene_frees_three_frames_for_b() -> None:
    events = SCENES["balloon"]
    balloon = next(e for e in events if e["kind"] == "mem.balloon")
    assert balloon["guest"] == "A" and balloon["inflate"] == 3
    b_frames = {e["mpn"] for e in events if e["kind"] == "mem.alloc" and e["guest"] == "B"}
    a_frames = {e["mpn"] for e in events if e["kind"] == "mem.alloc" and e["guest"] == "A"}
    assert len(b_frames) == 3 and b_frames <= a_frames  # B reuses the frames A's balloon freed
