"""Ports of one or more tenants on VLANs of one virtual switch, and frames between them.

Kinds name what a frame makes the switch do: flood to an unknown destination, send to a learned
one, broadcast, a destination that lives on another VLAN, and (with two tenants or more) VLAN
isolation. Hidden cases draw their own VLAN ids, ports and frames per learner.
"""

from tutor.sim.network import BROADCAST

LETTERS = "abcdefgh"


def _port(port, tenant, vlan, role):
    return {
        "port": port,
        "guest": f"{tenant}-{role}",
        "mac": f"52:54:00:{vlan // 256:02x}:{vlan % 256:02x}:{port + 1:02x}",
        "vlan": vlan,
    }


def _kinds(ports, frames):
    """What each frame exercises, replayed on a plain learning table."""
    vlan_of = {p["port"]: p["vlan"] for p in ports}
    mac_of = {p["port"]: p["mac"] for p in ports}
    vlan_of_mac = {p["mac"]: p["vlan"] for p in ports}
    learned = set()
    kinds = set()
    for frame in frames:
        vlan = vlan_of[frame["port"]]
        learned.add((vlan, mac_of[frame["port"]]))
        dst = frame["dst"]
        if dst == BROADCAST:
            kinds.add("broadcast")
        elif vlan_of_mac.get(dst) != vlan:
            kinds.add("cross-vlan destination")
        elif (vlan, dst) in learned:
            kinds.add("learned")
        else:
            kinds.add("flood unknown")
    if len(set(vlan_of.values())) > 1:
        kinds.add("vlan isolation")
    return sorted(kinds)


def _case(name, title, ports, frames):
    return {
        "name": name,
        "title": title,
        "args": {"ports": ports, "frames": frames},
        "kinds": _kinds(ports, frames),
    }


def _one_tenant():
    ports = [_port(0, "a", 10, "web"), _port(1, "a", 10, "db"), _port(2, "a", 10, "cache")]
    mac = [p["mac"] for p in ports]
    frames = [
        {"port": 0, "dst": mac[1]},
        {"port": 1, "dst": mac[0]},
        {"port": 0, "dst": mac[1]},
        {"port": 2, "dst": BROADCAST},
    ]
    title = {"en": "one tenant, three VMs on VLAN 10", "zh": "一个租户，VLAN 10 上的三台虚拟机"}
    return _case("one tenant", title, ports, frames)


def _two_tenants():
    ports = [
        _port(0, "a", 10, "web"),
        _port(1, "a", 10, "db"),
        _port(2, "b", 20, "web"),
        _port(3, "b", 20, "db"),
    ]
    mac = [p["mac"] for p in ports]
    frames = [
        {"port": 0, "dst": mac[1]},
        {"port": 2, "dst": BROADCAST},
        {"port": 3, "dst": mac[2]},
        {"port": 1, "dst": mac[0]},
        {"port": 0, "dst": mac[3]},
        {"port": 2, "dst": mac[0]},
    ]
    title = {
        "en": "two tenants: A on VLAN 10, B on VLAN 20",
        "zh": "两个租户：A 在 VLAN 10，B 在 VLAN 20",
    }
    return _case("two tenants", title, ports, frames)


PRACTICE = [_one_tenant(), _two_tenants()]


def hidden(rng):
    """Three switches: one tenant, two tenants, and three tenants with ports interleaved."""
    cases = []
    for tenants in (1, 2, 3):
        vlans = rng.sample(range(2, 4095), tenants)
        ports = []
        for port in range(rng.randint(tenants * 2, tenants * 2 + 3)):
            t = port % tenants if tenants > 1 and rng.random() < 0.7 else rng.randrange(tenants)
            ports.append(_port(port, LETTERS[t], vlans[t], f"vm{port}"))
        frames = []
        for _ in range(rng.randint(8, 14)):
            src = rng.choice(ports)
            others = [p for p in ports if p is not src]
            roll = rng.random()
            dst = BROADCAST if roll < 0.15 or not others else rng.choice(others)["mac"]
            frames.append({"port": src["port"], "dst": dst})
        title = {
            "en": f"{tenants} tenant(s), {len(ports)} ports, {len(frames)} frames",
            "zh": f"{tenants} 个租户，{len(ports)} 个端口，{len(frames)} 帧",
        }
        cases.append(_case(f"{tenants} tenant(s)", title, ports, frames))
    return cases
