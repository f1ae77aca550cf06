"""The five types of virtualisation (lesson 4) and consolidation (lesson 6)."""

from __future__ import annotations

import pytest

from tutor.sim import (
    TYPES,
    DesktopPool,
    FederatedView,
    InvalidOperation,
    consolidate_servers,
    several_oses,
    storage_blocks,
)


def test_golden_image_rolled_out_to_200_desktops_and_one_update_pushed_to_all() -> None:
    pool = DesktopPool(os_blocks=64)
    for block in range(64):
        pool.install(block, 1)
    desktops = pool.roll_out(200)
    assert len(desktops) == 200
    desktops[7].write_disk("profile", 0, 42)  # a user's own file
    desktops[9].write_disk("os", 5, 666)  # local tampering with the OS
    assert pool.audit(5, 1) == ["desk009"]
    assert storage_blocks([pool.golden, *desktops]) == 64 + 2
    pool.push_update({5: 2, 6: 2})
    assert pool.version == 2
    assert pool.audit(5, 2) == [] and pool.audit(6, 2) == []
    assert all(d.read_disk("os", 0) == 1 for d in desktops)  # unpatched blocks unchanged
    assert desktops[7].read_disk("profile", 0) == 42  # user data survives the recompose
    with pytest.raises(InvalidOperation, match="sealed"):
        pool.install(0, 9)


def test_several_oses_on_one_computer() -> None:
    hv, guests = several_oses(["Windows 11", "Ubuntu 24.04", "FreeBSD 14"])
    assert hv.kind == "type2" and len(guests) == 3
    assert {e["os"] for e in hv.trace.of_kind("os.boot")} == {
        "Windows 11",
        "Ubuntu 24.04",
        "FreeBSD 14",
    }
    assert len(hv.trace.of_kind("op.start")) == 3


def test_server_consolidation_saves_power() -> None:
    result = consolidate_servers(servers=20, utilisation=0.15)
    assert result.hosts_before == 20
    assert result.hosts_after < 5
    assert result.utilisation_before == pytest.approx(0.15)
    assert result.utilisation_after > 0.5
    # P(u) = 100 W + 100 W·u: 20 × 115 W before, 4 × 175 W after
    assert (result.watts_before, result.watts_after) == pytest.approx((2300.0, 700.0))
    assert result.saving > 0.65


def test_data_virtualisation_one_federated_view() -> None:
    crm = [{"cust": "Ada", "town": "London"}, {"cust": "Lin", "town": "Shanghai"}]
    shop = [{"buyer_name": "Grace", "city": "Arlington"}]
    view = FederatedView(
        {"crm": crm, "shop": shop},
        {"crm": {"cust": "name", "town": "city"}, "shop": {"buyer_name": "name", "city": "city"}},
    )
    rows = view.query(fields=["name"])
    assert rows == [
        {"name": "Ada", "source": "crm"},
        {"name": "Lin", "source": "crm"},
        {"name": "Grace", "source": "shop"},
    ]
    shop.append({"buyer_name": "Barbara", "city": "Boston"})  # live: not a copy
    assert [r["name"] for r in view.query(where=lambda r: r["city"].startswith("B"))] == ["Barbara"]
    assert "network_function" in TYPES and len(TYPES) == 5
