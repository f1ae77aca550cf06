"""The five kinds of virtualisation (lesson 4), each as the trace of a real ``tutor.sim`` run.

One scene per kind, in the order of the source article: desktop, operating system, server, data
and network function virtualisation. Every event comes from the model; where a run repeats one
step hundreds of times (200 desktops are 200 linked clones), the scene keeps the first few of
those events and the model's own summary event, so a step stays one sentence worth reading.
"""

from __future__ import annotations

from typing import Any

from tutor.sim import SCHEMA_VERSION, Trace
from tutor.sim.hardware import Host
from tutor.sim.network import Mano, Packet, VirtualSwitch
from tutor.sim.scenarios import DesktopPool, FederatedView, consolidate_servers, several_oses

Event = dict[str, Any]

DESKTOPS = 200
# Clone events kept before the model's roll-out summary: enough to see the pattern.
CLONES_SHOWN = 3
# The security setting every desktop must keep, and the block the patch writes.
SETTING_BLOCK, SETTING_ON = 3, 1
PATCH_BLOCK, PATCH_VALUE = 7, 2
DRIFTED = "desk042"

OSES = ("Windows 11", "Ubuntu 24.04", "FreeBSD 14")

SERVERS, SERVER_LOAD = 8, 0.1

# Three systems that each name the same facts differently; the view gives them one schema.
SOURCES: dict[str, list[dict[str, Any]]] = {
    "crm": [
        {"cust_name": "Li Wei", "town": "Shanghai"},
        {"cust_name": "Ana Costa", "town": "Lisbon"},
        {"cust_name": "Wang Fang", "town": "Shanghai"},
    ],
    "shop": [
        {"buyer": "Zhang Min", "ship_city": "Beijing"},
        {"buyer": "Tom Reed", "ship_city": "Leeds"},
    ],
    "erp": [
        {"NAME": "Chen Jie", "CITY": "Shanghai"},
        {"NAME": "Sara Holm", "CITY": "Oslo"},
    ],
}
MAPPING = {
    "crm": {"cust_name": "name", "town": "city"},
    "shop": {"buyer": "name", "ship_city": "city"},
    "erp": {"NAME": "name", "CITY": "city"},
}
NEW_ORDER = {"buyer": "Liu Yang", "ship_city": "Shanghai"}

# Two tenants on one physical network, each on its own VLAN.
TENANT_VNICS = (("a-web", 10), ("a-db", 10), ("b-web", 20), ("b-db", 20))
CHAINS = {"tenant-a": ["firewall", "nat"], "tenant-b": ["firewall", "load_balancer"]}


def _desktop() -> tuple[list[Event], dict[str, Any]]:
    pool = DesktopPool()
    pool.install(SETTING_BLOCK, SETTING_ON)
    pool.roll_out(DESKTOPS)
    pool.desktops[int(DRIFTED[4:])].write_disk("os", SETTING_BLOCK, 0)
    pool.audit(SETTING_BLOCK, SETTING_ON)
    pool.push_update({SETTING_BLOCK: SETTING_ON, PATCH_BLOCK: PATCH_VALUE})
    pool.audit(PATCH_BLOCK, PATCH_VALUE)
    kept: list[Event] = []
    clones = 0
    for event in pool.trace.events:
        if event["kind"] in ("guest.create", "guest.start") and event["guest"] != "golden":
            continue
        if event["kind"] == "guest.clone":
            clones += 1
            if clones > CLONES_SHOWN:
                continue
        kept.append(event)
    return kept, {"desktops": DESKTOPS}


def _operating_system() -> tuple[list[Event], dict[str, Any]]:
    trace = Trace()
    several_oses(list(OSES), trace=trace)
    # Each disk read's layers are lesson 5's subject; here its start and end say it is shared.
    keep = {"guest.create", "guest.start", "os.boot", "op.start", "op.end"}
    return [e for e in trace.events if e["kind"] in keep], {"oses": list(OSES)}


def _server() -> tuple[list[Event], dict[str, Any]]:
    trace = Trace()
    consolidate_servers(SERVERS, SERVER_LOAD, trace=trace)
    return list(trace.events), {"servers": SERVERS, "load": SERVER_LOAD}


def _data() -> tuple[list[Event], dict[str, Any]]:
    sources = {name: [dict(row) for row in rows] for name, rows in SOURCES.items()}
    view = FederatedView(sources, MAPPING)
    view.query(["name", "city"])
    view.query(["name"], where=lambda row: row["city"] == "Shanghai")
    sources["shop"].append(dict(NEW_ORDER))  # a sale happens in the shop's own system
    view.query(["name"], where=lambda row: row["city"] == "Shanghai")
    setup = {
        "sources": {name: sorted(rows[0]) for name, rows in SOURCES.items()},
        "mapping": MAPPING,
    }
    return list(view.trace.events), setup


def _network_function() -> tuple[list[Event], dict[str, Any]]:
    trace = Trace()
    switch = VirtualSwitch(trace=trace)
    macs = {}
    for i, (guest, vlan) in enumerate(TENANT_VNICS):
        macs[guest] = f"52:54:00:00:00:{i + 1:02x}"
        switch.attach(guest, macs[guest], vlan)
    switch.send("a-web", macs["a-web"], macs["a-db"])
    switch.send("a-db", macs["a-db"], macs["a-web"])
    switch.send("b-web", macs["b-web"], "ff:ff:ff:ff:ff:ff")
    switch.send("a-web", macs["a-web"], macs["b-db"])  # another tenant's address: never reached
    mano = Mano([Host("nfvi-1", 4, 1024), Host("nfvi-2", 4, 1024)], trace=trace)
    services = {name: mano.nfvo.create_service(name, chain) for name, chain in CHAINS.items()}
    services["tenant-a"].send(Packet("10.0.0.5", "198.51.100.7", 443))
    services["tenant-a"].send(Packet("10.0.0.5", "198.51.100.7", 23))
    services["tenant-b"].send(Packet("198.51.100.9", "203.0.113.80", 80))
    return list(trace.events), {"macs": macs, "chains": CHAINS}


BUILDERS = {
    "desktop": _desktop,
    "operating_system": _operating_system,
    "server": _server,
    "data": _data,
    "network_function": _network_function,
}


def virtualization_types() -> dict[str, Any]:
    scenes = []
    for kind, build in BUILDERS.items():
        events, setup = build()
        scenes.append({"id": kind, "type": kind, "setup": setup, "events": events})
    return {
        "schema": SCHEMA_VERSION,
        "types": list(BUILDERS),
        "default": "desktop",
        "scenes": scenes,
    }
