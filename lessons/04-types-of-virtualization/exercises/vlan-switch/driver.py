"""Drives a learner's learning virtual switch frame by frame and checks it against the model's;
public.

The model is ``tutor.sim.network.VirtualSwitch``: it learns where each source MAC lives (per
VLAN), sends a frame for a learned destination to that one port, floods the rest to the other
ports of the frame's VLAN only, and never lets a frame leave its VLAN. The learner's decisions
are emitted as the same ``net.*`` events, so a replay shows them on the animation's switch.
"""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback, mistake
from tutor.sim.network import BROADCAST, VirtualSwitch

RETURNS = {"forward": [int]}
# The model's switch would answer the exercise: learner code gets tutor.sim without it.
MODEL_ANSWERS = {"tutor.sim": ("VirtualSwitch",), "tutor.sim.network": ("VirtualSwitch",)}


def _setup(args):
    ports = {int(p["port"]): int(p["vlan"]) for p in args["ports"]}
    macs = {int(p["port"]): p["mac"] for p in args["ports"]}
    return ports, macs


def run(submission, args, trace):
    ports, macs = _setup(args)
    for p in args["ports"]:
        trace.emit(
            "net.attach",
            switch="vswitch0",
            port=p["port"],
            guest=p["guest"],
            mac=p["mac"],
            vlan=p["vlan"],
        )
    table = {}
    sent = []
    for frame in args["frames"]:
        in_port, dst = frame["port"], frame["dst"]
        src, vlan = macs[in_port], ports[in_port]
        known = (vlan, dst) in table and dst != BROADCAST
        before = dict(table)
        out = submission.forward(table, dict(ports), in_port, src, dst)
        for key, port in table.items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise mistake(explain("switching.table_keys", key=repr(key)), TypeError)
            if before.get(key) != port:
                trace.emit("net.learn", switch="vswitch0", vlan=key[0], mac=key[1], port=port)
        out = sorted(out)
        delivered = [macs[p] for p in out if p in macs and (macs[p] == dst or dst == BROADCAST)]
        trace.emit(
            "net.forward",
            switch="vswitch0",
            vlan=vlan,
            src=src,
            dst=dst,
            flooded=not known,
            ports=out,
            delivered=delivered,
        )
        sent.append(out)
    learned = sorted([k[0], k[1], v] for k, v in table.items())
    return {"sent": sent, "table": learned}


def _model(args):
    """What the model's switch does with the same ports and frames."""
    switch = VirtualSwitch()
    _, macs = _setup(args)
    for p in args["ports"]:
        switch.attach(p["guest"], p["mac"], p["vlan"])
    guest = {p["mac"]: p["guest"] for p in args["ports"]}
    known_before = []
    for frame in args["frames"]:
        src = macs[frame["port"]]
        vlan = next(p["vlan"] for p in args["ports"] if p["port"] == frame["port"])
        known_before.append((vlan, frame["dst"]) in switch.table and frame["dst"] != BROADCAST)
        switch.send(guest[src], src, frame["dst"])
    sent = [e["ports"] for e in switch.trace.events if e["kind"] == "net.forward"]
    return sent, known_before


def compare(args, expected, actual, reveal=False):
    ports, macs = _setup(args)
    want_sent, known = _model(args)
    for i, (want, got) in enumerate(zip(want_sent, actual["sent"], strict=False)):
        n, in_port, dst = i + 1, args["frames"][i]["port"], args["frames"][i]["dst"]
        vlan = ports[in_port]
        for port in got:
            if port not in ports:
                return explain("switching.no_port", n=n, port=port)
            if ports[port] != vlan:
                text = explain("switching.other_vlan", n=n, vlan=vlan, port=port, other=ports[port])
                return Feedback.because(text, explain("switching.isolation"))
        if in_port in got:
            return explain("switching.sent_back", n=n, port=in_port)
        if got != want:
            kind = "known" if known[i] else "broadcast" if dst == BROADCAST else "unknown"
            message = explain(f"switching.{kind}", n=n, dst=dst, vlan=vlan)
            return Feedback(reveal).revealing(message, explain("switching.model_sends", ports=want))
    taught = sorted(
        [vlan, macs[port], port]
        for port, vlan in ports.items()
        if any(f["port"] == port for f in args["frames"])
    )
    learns = explain("switching.learns")
    return Feedback(reveal).members(
        "table",
        [tuple(e) for e in taught],
        [tuple(e) for e in sorted(actual["table"])],
        why_extra=learns,
        why_missing=learns,
    )
