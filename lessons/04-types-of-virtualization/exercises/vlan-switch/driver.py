"""Drives a learner's learning virtual switch frame by frame and checks it against the model's;
public.

The model is ``tutor.sim.network.VirtualSwitch``: it learns where each source MAC lives (per
VLAN), sends a frame for a learned destination to that one port, floods the rest to the other
ports of the frame's VLAN only, and never lets a frame leave its VLAN. The learner's decisions
are emitted as the same ``net.*`` events, so a replay shows them on the animation's switch.
"""

from tutor.sim.network import BROADCAST, VirtualSwitch

RETURNS = {"forward": [int]}
# The model's switch would answer the exercise: learner code gets tutor.sim without it.
MODEL_ANSWERS = {"tutor.sim": ("VirtualSwitch",), "tutor.sim.network": ("VirtualSwitch",)}

ISOLATION = {
    "en": "a frame never leaves its VLAN: that is what keeps one tenant's traffic away from "
    "another's on the same physical network",
    "zh": "帧永远不会离开它所在的 VLAN：正是这一点让同一个物理网络上的租户互相看不到对方的流量",
}


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
                error = TypeError(f"table keys must be (vlan, mac) pairs, not {key!r}")
                error.zh = f"table 的键必须是 (vlan, mac) 二元组，而不是 {key!r}"
                raise error
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
        n = i + 1
        frame = args["frames"][i]
        in_port, dst = frame["port"], frame["dst"]
        vlan = ports[in_port]
        for port in got:
            if port not in ports:
                return {
                    "en": f"frame {n}: port {port} does not exist on this switch",
                    "zh": f"第 {n} 帧：这台交换机上没有端口 {port}",
                }
            if ports[port] != vlan:
                return {
                    "en": f"frame {n} came in on VLAN {vlan} but went out of port {port}, which "
                    f"is on another VLAN ({ports[port]}): {ISOLATION['en']}",
                    "zh": f"第 {n} 帧从 VLAN {vlan} 进来，却从端口 {port} 发了出去，而这个端口属于"
                    f"另一个 VLAN（{ports[port]}）：{ISOLATION['zh']}",
                }
        if in_port in got:
            return {
                "en": f"frame {n} is sent back out of port {in_port}, the port it arrived on: a "
                "switch never returns a frame to where it came from",
                "zh": f"第 {n} 帧又从它进来的端口 {in_port} 发了回去：交换机从不把帧送回它的来处",
            }
        if got == want:
            continue
        if known[i]:
            message = {
                "en": f"frame {n}: the switch has already learned where {dst} is on VLAN {vlan} "
                "(a frame came from it earlier), so the frame goes to that one port only; "
                "flooding it leaks it to every other port of the VLAN",
                "zh": f"第 {n} 帧：交换机已经学到 {dst} 在 VLAN {vlan} 上的位置（它之前发过帧），"
                "所以这一帧只发往那一个端口；泛洪会把它泄露给这个 VLAN 的所有其他端口",
            }
        elif dst == BROADCAST:
            message = {
                "en": f"frame {n} is a broadcast: it goes to every other port of VLAN {vlan}, "
                "and to no port outside it",
                "zh": f"第 {n} 帧是广播：它发往 VLAN {vlan} 的所有其他端口，不发往这个 VLAN "
                "以外的任何端口",
            }
        else:
            message = {
                "en": f"frame {n}: {dst} has not been learned on VLAN {vlan} yet (no frame from "
                "it on this VLAN so far), so the switch floods the frame to every other port "
                f"of VLAN {vlan}; a switch learns where a MAC is from the frames that MAC sends, "
                "never from the destination of a frame",
                "zh": f"第 {n} 帧：交换机还没有在 VLAN {vlan} 上学到 {dst}（这个 VLAN 上它还没"
                f"发过帧），所以要把这一帧泛洪到 VLAN {vlan} 的所有其他端口；交换机只从某个 MAC "
                "发出的帧学习它的位置，而不是从帧的目的地址学习",
            }
        if reveal:
            message = {
                "en": f"{message['en']} (the model sends it out of {want})",
                "zh": f"{message['zh']}（模型从 {want} 发出）",
            }
        return message
    want_table = sorted(
        [vlan, macs[port], port]
        for port, vlan in ports.items()
        if any(f["port"] == port for f in args["frames"])
    )
    for entry in actual["table"]:
        if entry not in want_table:
            return {
                "en": f"the table holds {entry}, which no frame taught it: a switch learns from "
                "the source of each frame (its VLAN, MAC and the port it came in on), never "
                "from the destination",
                "zh": f"table 中有 {entry}，但没有哪一帧教过它这一条：交换机从每一帧的源地址学习"
                "（所在 VLAN、MAC 和进来的端口），而不是从目的地址学习",
            }
    for entry in want_table:
        if entry not in actual["table"]:
            shown = entry if reveal else "an entry"
            shown_zh = str(entry) if reveal else "一条记录"
            return {
                "en": f"the table is missing {shown}: a switch learns from the source of each "
                "frame (its VLAN, MAC and the port it came in on), never from the destination",
                "zh": f"table 缺少{shown_zh}：交换机从每一帧的源地址学习（所在 VLAN、MAC 和进来的"
                "端口），而不是从目的地址学习",
            }
    return None
