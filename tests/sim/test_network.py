"""Virtual switch, VLAN isolation, bandwidth sharing, NFV (lesson 4)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.sim import (
    BROADCAST,
    CapacityExceeded,
    Guest,
    Host,
    IsolationViolation,
    Mano,
    Packet,
    VirtualSwitch,
    mac_of,
    share_bandwidth,
)


def tenant_switch() -> VirtualSwitch:
    sw = VirtualSwitch()
    sw.attach("a1", "aa:01", vlan=10)
    sw.attach("a2", "aa:02", vlan=10)
    sw.attach("b1", "bb:01", vlan=20)
    sw.attach("b2", "bb:02", vlan=20)
    return sw


def test_switch_learns_then_forwards_without_flooding() -> None:
    sw = tenant_switch()
    assert sw.send("a1", "aa:01", "aa:02", "hello") == ["aa:02"]  # flooded (unknown dst)
    assert sw.trace.of_kind("net.forward")[-1]["flooded"] is True
    sw.send("a2", "aa:02", "aa:01", "hi")  # a1 was learned: no flood
    last = sw.trace.of_kind("net.forward")[-1]
    assert last["flooded"] is False and last["ports"] == [0]
    assert sw.table[(10, "aa:02")] == 1


def test_vlan_isolation_between_tenants() -> None:
    sw = tenant_switch()
    assert sw.send("a1", "aa:01", BROADCAST, "who is there") == ["aa:02"]
    assert sw.send("a1", "aa:01", "bb:01", "psst") == []  # other tenant: unreachable
    assert sw.inbox["bb:01"] == [] and sw.inbox["bb:02"] == []
    with pytest.raises(IsolationViolation, match="spoofed"):
        sw.send("a1", "bb:01", "bb:02", "pretending to be b1")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 6)),
        max_size=40,
    )
)
def test_no_frame_ever_crosses_a_vlan(sends: list[tuple[int, int]]) -> None:
    sw = VirtualSwitch()
    macs = [f"02:00:00:00:00:0{i}" for i in range(6)]
    for i, mac in enumerate(macs):
        sw.attach(f"g{i}", mac, vlan=100 + i % 2)
    for s, d in sends:
        dst = BROADCAST if d == 6 else macs[d]
        sw.send(f"g{s}", macs[s], dst, (s, d))
    for i, mac in enumerate(macs):
        for src, _ in sw.inbox[mac]:
            assert macs.index(src) % 2 == i % 2


def test_bandwidth_is_shared_max_min_fairly() -> None:
    alloc = share_bandwidth(1000, {"a": 100, "b": 600, "c": 600})
    assert alloc == pytest.approx({"a": 100, "b": 450, "c": 450})
    weighted = share_bandwidth(900, {"a": 900, "b": 900}, weights={"a": 2, "b": 1})
    assert weighted == pytest.approx({"a": 600, "b": 300})
    assert share_bandwidth(1000, {"a": 10}) == {"a": 10}


def test_nfv_service_chain_managed_by_mano() -> None:
    mano = Mano([Host("nfvi0", cores=4, memory_pages=1024), Host("nfvi1", 4, 1024)])
    service = mano.nfvo.create_service("edge", ["firewall", "nat", "load_balancer"])
    assert [v.kind for v in service.chain] == ["firewall", "nat", "load_balancer"]
    assert all(v.host is not None for v in service.chain)
    out = service.send(Packet("192.168.1.5", "198.51.100.7", 443))
    assert out is not None and out.src == "203.0.113.1" and out.dst == "10.0.0.10"
    assert out.path == ["edge-firewall-0", "edge-nat-1", "edge-load_balancer-2"]
    assert service.send(Packet("192.168.1.5", "198.51.100.7", 23)) is None  # telnet blocked
    kinds = [e["kind"] for e in mano.trace.events]
    assert kinds.count("nfv.instantiate") == 3 and "nfv.service" in kinds


def test_mano_rolls_back_a_service_that_does_not_fit() -> None:
    mano = Mano([Host("small", cores=2, memory_pages=600)])
    with pytest.raises(CapacityExceeded):
        mano.nfvo.create_service("big", ["firewall", "nat", "load_balancer"])
    assert mano.nfvi.hosts_on() == 0 and not mano.vnfm.instances


def test_guests_plug_their_vnics_in_with_stable_macs() -> None:
    sw = VirtualSwitch()
    web = Guest("web", nics=("eth0", "eth1"))
    ports = sw.attach_guest(web, vlan=30)
    assert [p.mac for p in ports] == [mac_of("web", "eth0"), mac_of("web", "eth1")]
    assert all(p.mac.startswith("52:54:00:") and p.vlan == 30 for p in ports)
    assert mac_of("web", "eth0") == mac_of("web", "eth0") != mac_of("db", "eth0")
