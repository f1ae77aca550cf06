"""Builds the scene a learner's classification implies, on the model, and checks that it meets
the situation's need; public.

The learner names the type of virtualization that fits a situation and the scene that type
implies (how many desktops, which OSes, how many servers stay on, how each data source's fields
map onto the report's, which network functions to chain). The driver builds exactly that scene
with ``tutor.sim`` (``scenarios.py``, ``network.py``); its trace is the replay.
"""

from tutor.explanations import explain, table
from tutor.grading.feedback import Feedback
from tutor.sim import InvalidOperation, SimError
from tutor.sim.hardware import Host
from tutor.sim.network import Mano, Packet
from tutor.sim.scenarios import (
    TYPES,
    DesktopPool,
    FederatedView,
    consolidate_servers,
    several_oses,
)

# Packing the servers is the prediction this exercise asks for: learner code gets the model's
# packing without these names.
MODEL_ANSWERS = {
    "tutor.sim": ("consolidate_servers",),
    "tutor.sim.scenarios": ("consolidate_servers",),
}
RETURNS = {"plan": {"type": str, "scene": {str: (int, str, [str], {str: {str: str}})}}}
VNF_FOR = {"block_ports": "firewall", "hide_addresses": "nat", "backends": "load_balancer"}


def _fail(key):
    return {"met": False, "why": explain(f"virtualization_types.scene.{key}")}


def _desktop(facts, scene, trace):
    n = scene.get("desktops")
    if not isinstance(n, int) or n < 1:
        return _fail("desktops")
    pool = DesktopPool(trace=trace)
    pool.install(1, 1)
    pool.roll_out(n)
    pool.push_update({2: 2})
    failing = pool.audit(2, 2)
    return {"met": n == facts["users"] and not failing, "desktops": n}


def _operating_system(facts, scene, trace):
    oses = scene.get("oses")
    if not isinstance(oses, list):
        return _fail("oses")
    several_oses([str(o) for o in oses], trace=trace)
    return {"met": sorted(oses) == sorted(facts["oses"]), "oses": sorted(map(str, oses))}


def _server(facts, scene, trace):
    hosts = scene.get("hosts")
    if not isinstance(hosts, int):
        return _fail("hosts")
    result = consolidate_servers(
        len(facts["apps"]),
        facts["load"],
        cores=facts["server_cores"],
        memory_pages=facts["server_memory_gb"] * 1024,
        server_pages=facts["app_memory_gb"] * 1024,
        trace=trace,
    )
    return {"met": hosts == result.hosts_after, "hosts": hosts}


def _data(facts, scene, trace):
    mapping = scene.get("mapping")
    if not isinstance(mapping, dict):
        return _fail("mapping")
    try:
        view = FederatedView(facts["sources"], mapping, trace=trace)
        rows = view.query(facts["fields"])
    except (InvalidOperation, AttributeError, TypeError):
        return {"met": False, "rows": 0, "complete": 0}
    complete = sum(all(row.get(f) is not None for f in facts["fields"]) for row in rows)
    total = sum(len(r) for r in facts["sources"].values())
    return {"met": complete == total, "rows": len(rows), "complete": complete}


def _network_function(facts, scene, trace):
    chain = scene.get("chain")
    if not isinstance(chain, list) or not chain:
        return _fail("chain")
    mano = Mano([Host("nfvi-1", 8, 4096), Host("nfvi-2", 8, 4096)], trace=trace)
    try:
        service = mano.nfvo.create_service("customer", [str(k) for k in chain])
    except SimError:
        return {"met": False, "chain": sorted(map(str, chain))}
    need = facts["network"]
    ok = True
    for port in need.get("block_ports", []):
        ok &= service.send(Packet("10.0.0.5", "198.51.100.7", port)) is None
    out = service.send(Packet("10.0.0.5", "198.51.100.7", 443))
    ok &= out is not None
    if out is not None:
        ok &= (out.src != "10.0.0.5") == bool(need.get("hide_addresses"))
    return {"met": ok and sorted(chain) == _needed_vnfs(need), "chain": sorted(map(str, chain))}


def _needed_vnfs(need):
    return sorted(VNF_FOR[key] for key in VNF_FOR if need.get(key))


BUILD = {
    "desktop": _desktop,
    "operating_system": _operating_system,
    "server": _server,
    "data": _data,
    "network_function": _network_function,
}


def run(submission, args, trace):
    answer = submission.plan(args["facts"])
    kind = answer["type"]
    if kind not in BUILD:
        return {"type": kind, "met": False}
    result = BUILD[kind](args["facts"], answer["scene"], trace)
    result["type"] = kind
    return result


def compare(args, expected, actual, reveal=False):
    check, kind, facts = Feedback(reveal), actual["type"], args["facts"]
    if kind not in BUILD:
        return check.equal(
            "type",
            expected["type"],
            kind,
            why=explain("virtualization_types.unknown_type", types=", ".join(TYPES)),
        )
    if kind != expected["type"]:
        return check.equal(
            "type", expected["type"], kind, mistakes=table("virtualization_types.gives")
        )
    if actual["met"]:
        return None
    if "why" in actual:
        return actual["why"]
    unmet = f"virtualization_types.unmet.{kind}"
    if kind == "desktop":
        return check.equal("desktops", facts["users"], actual["desktops"], why=explain(unmet))
    if kind == "server":
        return check.equal("hosts", expected["hosts"], actual["hosts"], why=explain(unmet))
    if kind == "data":
        total = sum(len(rows) for rows in facts["sources"].values())
        return explain(unmet, complete=actual.get("complete", 0), total=total)
    if kind == "network_function":
        return check.first(
            check.members(
                "chain",
                _needed_vnfs(facts["network"]),
                actual.get("chain", []),
                why_extra=explain("virtualization_types.unasked_vnf"),
                why_missing=table("virtualization_types.vnf"),
            ),
            explain(unmet),
        )
    return explain(unmet)
