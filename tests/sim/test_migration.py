"""Live migration by pre-copy (lesson 11)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.sim import (
    CapacityExceeded,
    ConstantDirtyRate,
    Host,
    HotPageDirtier,
    ResourcePool,
    VmSpec,
    live_migrate,
    precopy,
    precopy_volumes,
)


def test_round_volumes_follow_the_geometric_series() -> None:
    m, d, b = 1024.0, 100.0, 1000.0
    result = precopy(m, ConstantDirtyRate(m, d), bandwidth_mbps=b)
    expected = precopy_volumes(m, d, b, len(result.rounds))
    assert [r.sent_mb for r in result.rounds] == pytest.approx(expected, rel=1e-12)
    assert result.stop_reason == "converged"
    assert len(result.rounds) > 3
    # the final, stop-and-copy volume is the next term of the series
    assert result.final_mb == pytest.approx(m * (d / b) ** len(result.rounds))


def test_a_workload_that_never_converges_hits_xens_limits() -> None:
    m = 512.0
    hot = precopy(m, ConstantDirtyRate(m, 800.0))  # dirties faster than the 500 Mb/s cap
    assert hot.stop_reason == "max_sent"
    assert hot.total_sent_mb - hot.final_mb <= 3 * m
    slow = precopy(m, ConstantDirtyRate(m, 99.0), bandwidth_mbps=100.0, stop_below_mb=0.0)
    assert slow.stop_reason in {"max_rounds", "max_sent"}
    assert len(slow.rounds) <= 30


def test_xen_adaptive_rate_starts_at_100_and_caps_at_500() -> None:
    m = 256.0
    result = precopy(m, ConstantDirtyRate(m, 60.0))
    rates = [r.rate_mbps for r in result.rounds]
    assert rates[0] == 100.0
    assert rates[1] == pytest.approx(110.0)  # observed dirty rate 60 + 50
    # a guest that dirties everything during the slow first round is observed at 100 Mb/s
    saturated = precopy(m, ConstantDirtyRate(m, 200.0))
    assert saturated.rounds[1].rate_mbps == pytest.approx(150.0)
    assert all(r <= 500.0 for r in rates)
    heavy = precopy(m, ConstantDirtyRate(m, 480.0), min_rate_mbps=400.0)
    assert [r.rate_mbps for r in heavy.rounds] == [400.0, 450.0, 500.0]
    assert heavy.stop_reason == "max_sent"


def test_hot_page_dirtier_converges_to_the_writable_working_set() -> None:
    m = 128.0
    a = precopy(m, HotPageDirtier(m, writes_per_s=20_000, hot_pages=500, seed=7))
    b = precopy(m, HotPageDirtier(m, writes_per_s=20_000, hot_pages=500, seed=7))
    assert a == b  # same seed, same migration
    assert a.downtime_ms < 100
    assert a.final_mb <= 600 * 4096 / 1e6


def test_live_migrate_moves_the_reservation_after_copying() -> None:
    pool = ResourcePool([Host("src", 8, 1000), Host("dst", 8, 1000), Host("tiny", 1, 10)])
    pool.place(VmSpec("web", 2, 500), lambda vm, hosts: "src")
    with pytest.raises(CapacityExceeded):
        live_migrate(pool, "web", "tiny", 512.0, ConstantDirtyRate(512.0, 50.0))
    assert not pool.trace.of_kind("migrate.round")  # refused before any copying
    result = live_migrate(pool, "web", "dst", 512.0, ConstantDirtyRate(512.0, 50.0))
    assert pool.host_of("web") == "dst" and not pool.powered_on("src")
    assert result.downtime_ms > 0
    kinds = [e["kind"] for e in pool.trace.events]
    assert kinds.index("migrate.done") < kinds.index("pool.move")


@settings(max_examples=50, deadline=None)
@given(
    st.floats(64, 4096),
    st.floats(1, 2000),
    st.one_of(st.none(), st.floats(50, 2000)),
)
def test_stop_rules_always_hold(memory: float, dirty: float, bandwidth: float | None) -> None:
    result = precopy(memory, ConstantDirtyRate(memory, dirty), bandwidth_mbps=bandwidth)
    assert len(result.rounds) <= 30
    assert result.total_sent_mb - result.final_mb <= 3 * memory + 1e-9
    assert result.final_mb <= memory
