"""The five-types animation's scenes are real model runs that show each type's point."""

from __future__ import annotations

from typing import Any

from tutor.web.scenes import scenes_for
from tutor.web.virtualization_scenes import DESKTOPS, DRIFTED, SERVERS

FOUND = scenes_for("virtualization-types")
assert FOUND is not None
DATA: dict[str, Any] = FOUND
SCENES: dict[str, list[dict[str, Any]]] = {s["id"]: s["events"] for s in DATA["scenes"]}


def of(scene: str, kind: str) -> list[dict[str, Any]]:
    return [e for e in SCENES[scene] if e["kind"] == kind]


def test_five_scenes_in_the_articles_order() -> None:
    assert list(SCENES) == ["desktop", "operating_system", "server", "data", "network_function"]
    assert DATA["default"] == "desktop"
    # A step is one sentence worth reading: no scene drowns in repeated events.
    assert all(0 < len(events) <= 40 for events in SCENES.values())


def test_desktop_one_patch_reaches_every_clone_and_the_audit_catches_a_hand_change() -> None:
    assert of("desktop", "desktop.roll_out")[-1]["total"] == DESKTOPS
    first, last = of("desktop", "desktop.audit")
    assert first["failing"] == [DRIFTED] and first["checked"] == DESKTOPS
    assert of("desktop", "desktop.update")[0]["desktops"] == DESKTOPS
    assert last["failing"] == []


def test_several_operating_systems_share_one_computer() -> None:
    boots = of("operating_system", "os.boot")
    assert len({e["os"] for e in boots}) == 3
    assert {e["host"] for e in of("operating_system", "guest.start")} == {"laptop"}
    assert {e["hv"] for e in of("operating_system", "op.start")} == {"type2"}


def test_one_server_does_the_work_of_several() -> None:
    (summary,) = of("server", "server.consolidate")
    assert summary["hosts_before"] == SERVERS and summary["hosts_after"] == 1
    assert summary["watts_after"] < summary["watts_before"]


def test_the_federated_view_answers_in_the_form_asked_and_sees_new_rows_at_once() -> None:
    full, narrow, later = of("data", "data.query")
    assert full["fields"] == ["name", "city"] and narrow["fields"] == ["name"]
    assert later["rows"] == narrow["rows"] + 1


def test_no_frame_crosses_a_vlan_and_mano_builds_both_chains() -> None:
    vlan_of = {e["mac"]: e["vlan"] for e in of("network_function", "net.attach")}
    port_vlan = {e["port"]: e["vlan"] for e in of("network_function", "net.attach")}
    forwards = of("network_function", "net.forward")
    assert any(not f["delivered"] for f in forwards)  # a frame for the other tenant reaches nobody
    for frame in forwards:
        assert {port_vlan[p] for p in frame["ports"]} <= {frame["vlan"]}
        assert {vlan_of[m] for m in frame["delivered"]} <= {frame["vlan"]}
    services = of("network_function", "nfv.service")
    assert [s["service"] for s in services] == ["tenant-a", "tenant-b"]
    packets = of("network_function", "nfv.packet")
    assert any(p["dropped"] for p in packets)
    assert any(p["src"] == "203.0.113.1" for p in packets)  # NAT rewrote the source
