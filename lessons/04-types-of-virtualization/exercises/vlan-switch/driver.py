"""Drives a learner's learning virtual switch frame by frame against the model's; public."""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim.network import BROADCAST
from tutor.sim.testbed import drive_switch, switch_decisions

RETURNS = {"forward": [int]}
# The model's switch would answer the exercise: learner code gets tutor.sim without it.
MODEL_ANSWERS = {
    "tutor.sim": ("VirtualSwitch",),
    "tutor.sim.network": ("VirtualSwitch",),
    "tutor.sim.testbed": ("switch_decisions",),
}


def run(submission, args, trace):
    return drive_switch(args["ports"], args["frames"], submission.forward, trace)


def compare(args, expected, actual, reveal=False):
    vlans = {int(p["port"]): int(p["vlan"]) for p in args["ports"]}
    want_sent, known = switch_decisions(args["ports"], args["frames"])
    for i, (want, got, frame) in enumerate(
        zip(want_sent, actual["sent"], args["frames"], strict=False)
    ):
        n, vlan, dst = i + 1, vlans[frame["port"]], frame["dst"]
        for port in got:
            if port not in vlans:
                return explain("switching.no_port", n=n, port=port)
            if vlans[port] != vlan:
                text = explain("switching.other_vlan", n=n, vlan=vlan, port=port, other=vlans[port])
                return Feedback.because(text, explain("switching.isolation"))
        if frame["port"] in got:
            return explain("switching.sent_back", n=n, port=frame["port"])
        if got != want:
            kind = "known" if known[i] else "broadcast" if dst == BROADCAST else "unknown"
            message = explain(f"switching.{kind}", n=n, dst=dst, vlan=vlan)
            return Feedback(reveal).revealing(message, explain("switching.model_sends", ports=want))
    sending = {f["port"] for f in args["frames"]}
    ports = {int(p["port"]): (int(p["vlan"]), p["mac"]) for p in args["ports"]}
    taught = sorted((*ports[port], port) for port in ports if port in sending)
    learns, table = explain("switching.learns"), [tuple(e) for e in sorted(actual["table"])]
    return Feedback(reveal).members("table", taught, table, why_extra=learns, why_missing=learns)
