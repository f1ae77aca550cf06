"""How a learning virtual switch forwards frames within VLANs (lesson 4, vlan-switch)."""

EXPLANATIONS = {
    "isolation": {
        "en": "a frame never leaves its VLAN: that is what keeps one tenant's traffic away from "
        "another's on the same physical network",
        "zh": "帧永远不会离开它所在的 VLAN：正是这一点让同一个物理网络上的租户互相看不到对方的流量",
    },
    "no_port": {
        "en": "frame {n}: port {port} does not exist on this switch",
        "zh": "第 {n} 帧：这台交换机上没有端口 {port}",
    },
    "other_vlan": {
        "en": "frame {n} came in on VLAN {vlan} but went out of port {port}, which is on another "
        "VLAN ({other})",
        "zh": "第 {n} 帧从 VLAN {vlan} 进来，却从端口 {port} 发了出去，而这个端口属于另一个 VLAN"
        "（{other}）",
    },
    "sent_back": {
        "en": "frame {n} is sent back out of port {port}, the port it arrived on: a switch never "
        "returns a frame to where it came from",
        "zh": "第 {n} 帧又从它进来的端口 {port} 发了回去：交换机从不把帧送回它的来处",
    },
    "known": {
        "en": "frame {n}: the switch has already learned where {dst} is on VLAN {vlan} (a frame "
        "came from it earlier), so the frame goes to that one port only; flooding it leaks it to "
        "every other port of the VLAN",
        "zh": "第 {n} 帧：交换机已经学到 {dst} 在 VLAN {vlan} 上的位置（它之前发过帧），"
        "所以这一帧只发往那一个端口；泛洪会把它泄露给这个 VLAN 的所有其他端口",
    },
    "broadcast": {
        "en": "frame {n} is a broadcast: it goes to every other port of VLAN {vlan}, and to no "
        "port outside it",
        "zh": "第 {n} 帧是广播：它发往 VLAN {vlan} 的所有其他端口，不发往这个 VLAN 以外的任何端口",
    },
    "unknown": {
        "en": "frame {n}: {dst} has not been learned on VLAN {vlan} yet (no frame from it on "
        "this VLAN so far), so the switch floods the frame to every other port of VLAN {vlan}; a "
        "switch learns where a MAC is from the frames that MAC sends, never from the destination "
        "of a frame",
        "zh": "第 {n} 帧：交换机还没有在 VLAN {vlan} 上学到 {dst}（这个 VLAN 上它还没发过帧），"
        "所以要把这一帧泛洪到 VLAN {vlan} 的所有其他端口；交换机只从某个 MAC 发出的帧学习它的"
        "位置，而不是从帧的目的地址学习",
    },
    "model_sends": {"en": " (the model sends it out of {ports})", "zh": "（模型从 {ports} 发出）"},
    "learns": {
        "en": "a switch learns from the source of each frame (its VLAN, MAC and the port it came "
        "in on), never from the destination",
        "zh": "交换机从每一帧的源地址学习（所在 VLAN、MAC 和进来的端口），而不是从目的地址学习",
    },
    "table_keys": {
        "en": "table keys must be (vlan, mac) pairs, not {key}",
        "zh": "table 的键必须是 (vlan, mac) 二元组，而不是 {key}",
    },
}
