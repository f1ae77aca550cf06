"""Virtual networks: vNICs on a learning virtual switch, VLANs, shared NICs, and NFV.

Each guest gets virtual NICs plugged into a virtual switch inside the hypervisor. The switch
*learns* which MAC address lives behind which port from the source of every frame, floods frames
for unknown destinations, and after that sends them only where they belong. VLANs cut one
physical network into several virtual ones: a frame never leaves its VLAN, which is how two
tenants share a host without seeing each other's traffic. All vNICs finally share one physical
NIC, whose bandwidth is divided max-min fairly (by weight) among those who want it.

Network Function Virtualisation (ETSI GS NFV 002, 2013) applies the same idea to network
appliances: a firewall or NAT becomes software (a VNF) running in VMs on generic servers (the
NFVI). MANO manages it in three layers: the NFVO composes VNFs into services (a chain a packet
traverses), the VNFM manages each VNF's life cycle, and the VIM hands out NFVI resources.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .errors import CapacityExceeded, InvalidOperation, IsolationViolation
from .guest import Guest
from .hardware import Host
from .pool import ResourcePool, VmSpec
from .quantities import finite_number, name_of, whole_number, within_limit
from .trace import Trace

BROADCAST = "ff:ff:ff:ff:ff:ff"
MAX_FLOWS = 1_000
"""Most demands ``share_bandwidth`` shares one NIC among: each round of water-filling looks at
every demand still open, and a round may satisfy only one."""


@dataclass(frozen=True)
class Port:
    number: int
    mac: str
    guest: str
    vlan: int


class VirtualSwitch:
    """A learning L2 switch with VLANs; frames are delivered into each vNIC's ``inbox``."""

    def __init__(self, name: str = "vswitch0", trace: Trace | None = None) -> None:
        self.name = name
        self.trace = trace if trace is not None else Trace()
        self.ports: list[Port] = []
        self.table: dict[tuple[int, str], int] = {}
        self.inbox: dict[str, list[tuple[str, object]]] = {}
        self._by_mac: dict[str, Port] = {}

    def attach(self, guest: str, mac: str, vlan: int = 1) -> Port:
        """Plug a guest's vNIC into a new port, as an access port of ``vlan``."""
        name_of(guest, ("attach(guest, mac): guest", "attach(guest, mac) 的 guest"))
        name_of(
            mac,
            ("a vNIC's MAC address", "虚拟网卡的 MAC 地址"),
            hint=("e.g. 'aa:01'", "例如 'aa:01'"),
        )
        if mac in self._by_mac or mac == BROADCAST:
            raise InvalidOperation(
                f"MAC {mac} is already attached to this switch (or reserved)",
                zh=f"MAC {mac} 已经接在这台虚拟交换机上了（或者是保留地址）",
            )
        whole_number(vlan, (f"the VLAN of MAC {mac}", f"MAC {mac} 的 VLAN"))
        if not 1 <= vlan <= 4094:
            raise InvalidOperation(
                f"VLAN ids run from 1 to 4094, got {vlan}",
                zh=f"VLAN 编号的范围是 1 到 4094，而这里是 {vlan}",
            )
        port = Port(len(self.ports), mac, guest, vlan)
        self.ports.append(port)
        self._by_mac[mac] = port
        self.inbox[mac] = []
        self.trace.emit(
            "net.attach", switch=self.name, port=port.number, guest=guest, mac=mac, vlan=vlan
        )
        return port

    def attach_guest(self, guest: Guest, vlan: int = 1) -> list[Port]:
        """Plug every vNIC of a guest in, with MACs derived from the guest and NIC names (under
        QEMU/KVM's 52:54:00 prefix), so the same guest always gets the same addresses."""
        return [self.attach(guest.name, mac_of(guest.name, nic), vlan) for nic in guest.nics]

    def send(self, guest: str, src: str, dst: str, payload: object = None) -> list[str]:
        """Send a frame from ``guest``'s vNIC ``src``; returns the MACs it was delivered to."""
        port = self._by_mac.get(src) if isinstance(src, str) else None
        if port is None:
            raise InvalidOperation(
                f"no vNIC with MAC {src} is attached to {self.name}",
                zh=f"{self.name} 上没有接 MAC 为 {src} 的虚拟网卡",
            )
        if port.guest != guest:
            raise IsolationViolation(
                f"{guest!r} sent a frame with source MAC {src}, which belongs to {port.guest!r}: "
                "the switch drops spoofed frames so one guest cannot pose as another",
                zh=f"{guest!r} 发出的帧的源 MAC 是 {src}，而它属于 {port.guest!r}："
                "虚拟交换机会丢弃伪造的帧，这样一台客户机就无法冒充另一台",
            )
        name_of(dst, ("send(guest, src, dst): dst", "send(guest, src, dst) 的 dst"))
        vlan = port.vlan
        if self.table.get((vlan, src)) != port.number:
            self.table[(vlan, src)] = port.number
            self.trace.emit("net.learn", switch=self.name, vlan=vlan, mac=src, port=port.number)
        known = self.table.get((vlan, dst)) if dst != BROADCAST else None
        if known is not None:
            targets = [self.ports[known]]
        else:
            targets = [p for p in self.ports if p.vlan == vlan and p.number != port.number]
        delivered = []
        for target in targets:
            if target.vlan != vlan:  # unreachable by construction; the rule, stated in code
                raise IsolationViolation(
                    "a frame may never cross from one VLAN into another",
                    zh="帧永远不能从一个 VLAN 跨到另一个 VLAN",
                )
            if target.mac == dst or dst == BROADCAST:
                self.inbox[target.mac].append((src, payload))
                delivered.append(target.mac)
        self.trace.emit(
            "net.forward",
            switch=self.name,
            vlan=vlan,
            src=src,
            dst=dst,
            flooded=known is None,
            ports=[t.number for t in targets],
            delivered=delivered,
        )
        return delivered


def mac_of(guest: str, nic: str) -> str:
    """A stable, locally administered MAC for a guest's vNIC."""
    digest = hashlib.sha256(f"{guest}/{nic}".encode()).digest()
    return "52:54:00:" + ":".join(f"{b:02x}" for b in digest[:3])


def share_bandwidth(
    capacity_mbps: float,
    demands: dict[str, float],
    weights: dict[str, float] | None = None,
    trace: Trace | None = None,
) -> dict[str, float]:
    """Weighted max-min fair share of one physical NIC.

    Nobody gets more than they asked for; what the modest leave over is split among the rest in
    proportion to their weights. Computed by water-filling, in name order for determinism.
    """
    finite_number(capacity_mbps, ("capacity_mbps", "capacity_mbps"))
    for given, what in ((demands, "demands"), (weights, "weights")):
        if given is not None and not isinstance(given, Mapping):
            raise InvalidOperation(
                f"{what} map each flow's name to a number, e.g. {{'a': 100}}, not {given!r}",
                zh=f"{what} 应把每个流的名字对应到一个数，例如 {{'a': 100}}，而不是 {given!r}",
            )
    within_limit(len(demands), ("the number of demands", "需求的个数"), "MAX_FLOWS", MAX_FLOWS)
    for who, demand in demands.items():
        finite_number(demand, (f"the demand of {who!r}", f"{who!r} 的需求"))
    if capacity_mbps < 0 or any(d < 0 for d in demands.values()):
        raise InvalidOperation(
            "capacity and demands must not be negative", zh="容量和需求都不能是负数"
        )
    w = {name: (weights or {}).get(name, 1.0) for name in demands}
    for who, weight in w.items():
        finite_number(weight, (f"the weight of {who!r}", f"{who!r} 的权重"))
    if any(v <= 0 for v in w.values()):
        raise InvalidOperation("weights must be positive", zh="权重必须是正数")
    alloc = dict.fromkeys(demands, 0.0)
    left = capacity_mbps
    open_ = sorted(name for name, d in demands.items() if d > 0)
    while open_ and left > 1e-12:
        total = math.fsum(w[n] for n in open_)
        satisfied = [n for n in open_ if demands[n] - alloc[n] <= left * w[n] / total]
        if not satisfied:
            for n in open_:
                alloc[n] += left * w[n] / total
            left = 0.0
            break
        for n in satisfied:
            left -= demands[n] - alloc[n]
            alloc[n] = demands[n]
            open_.remove(n)
    if trace is not None:
        trace.emit("net.share", capacity_mbps=capacity_mbps, alloc=dict(sorted(alloc.items())))
    return alloc


# ----- NFV: VNFs, NFVI and MANO ----------------------------------------------------------------


@dataclass
class Packet:
    src: str
    dst: str
    port: int
    payload: str = ""
    path: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        name_of(self.src, ("a packet's source address", "数据包的源地址"))
        name_of(self.dst, ("a packet's destination address", "数据包的目的地址"))
        _check_port(self.port, ("a packet's port", "数据包的端口"))


def _check_port(port: object, what: tuple[str, str]) -> None:
    whole_number(port, what, least=0, below=65536)


class Vnf:
    """A virtualised network function: software that processes packets in a VM."""

    kind = "vnf"
    vcpus = 1
    memory_pages = 256

    def __init__(self, name: str) -> None:
        self.name = name
        self.host: str | None = None
        self.seen = 0

    def process(self, packet: Packet) -> Packet | None:
        """Return the (possibly rewritten) packet, or ``None`` to drop it."""
        return packet


class Firewall(Vnf):
    kind = "firewall"

    def __init__(self, name: str, blocked_ports: tuple[int, ...] = (23,)) -> None:
        super().__init__(name)
        for port in blocked_ports:
            _check_port(port, ("a port the firewall blocks", "防火墙要拦截的端口"))
        self.blocked_ports = blocked_ports

    def process(self, packet: Packet) -> Packet | None:
        return None if packet.port in self.blocked_ports else packet


class Nat(Vnf):
    kind = "nat"

    def __init__(self, name: str, public: str = "203.0.113.1") -> None:
        super().__init__(name)
        self.public = public
        self.translations: dict[str, str] = {}

    def process(self, packet: Packet) -> Packet | None:
        self.translations[packet.src] = self.public
        packet.src = self.public
        return packet


class LoadBalancer(Vnf):
    kind = "load_balancer"
    vcpus = 2

    def __init__(self, name: str, backends: tuple[str, ...] = ("10.0.0.10", "10.0.0.11")) -> None:
        super().__init__(name)
        if isinstance(backends, str) or not backends:
            raise InvalidOperation(
                f"a load balancer needs at least one backend address, e.g. ('10.0.0.10',), "
                f"not {backends!r}",
                zh=f"负载均衡器至少需要一个后端地址，例如 ('10.0.0.10',)，而不是 {backends!r}",
            )
        for backend in backends:
            name_of(backend, ("a backend's address", "后端的地址"))
        self.backends = backends
        self._next = 0

    def process(self, packet: Packet) -> Packet | None:
        packet.dst = self.backends[self._next % len(self.backends)]
        self._next += 1
        return packet


VNF_CATALOGUE: dict[str, Callable[[str], Vnf]] = {
    "firewall": Firewall,
    "nat": Nat,
    "load_balancer": LoadBalancer,
}


class Vim:
    """Virtualised Infrastructure Manager: places VNF VMs on the NFVI's compute hosts."""

    def __init__(self, nfvi: ResourcePool) -> None:
        self.nfvi = nfvi

    def allocate(self, vnf: Vnf) -> str:
        host = self.nfvi.place(VmSpec(vnf.name, vnf.vcpus, vnf.memory_pages), "first_fit")
        vnf.host = host
        return host

    def release(self, vnf: Vnf) -> None:
        self.nfvi.remove(vnf.name)
        vnf.host = None


class Vnfm:
    """VNF Manager: instantiates and terminates VNFs, asking the VIM for resources."""

    def __init__(self, vim: Vim, trace: Trace) -> None:
        self.vim = vim
        self.trace = trace
        self.instances: dict[str, Vnf] = {}

    def instantiate(self, kind: str, name: str) -> Vnf:
        if not isinstance(kind, str) or kind not in VNF_CATALOGUE:
            raise InvalidOperation(
                f"the VNF catalogue has no {kind!r}; it offers {', '.join(VNF_CATALOGUE)}",
                zh=f"虚拟网络功能目录里没有 {kind!r}；它提供的是 {'、'.join(VNF_CATALOGUE)}",
            )
        if name in self.instances:
            raise InvalidOperation(
                f"a VNF named {name!r} already exists", zh=f"名为 {name!r} 的虚拟网络功能已经存在"
            )
        vnf = VNF_CATALOGUE[kind](name)
        host = self.vim.allocate(vnf)
        self.instances[name] = vnf
        self.trace.emit("nfv.instantiate", vnf=name, vnf_kind=kind, host=host)
        return vnf

    def terminate(self, name: str) -> None:
        if not isinstance(name, str) or name not in self.instances:
            raise InvalidOperation(
                f"no VNF named {name!r} is running", zh=f"没有名为 {name!r} 的虚拟网络功能在运行"
            )
        vnf = self.instances.pop(name)
        self.vim.release(vnf)
        self.trace.emit("nfv.terminate", vnf=name)


@dataclass
class NetworkService:
    """A forwarding graph: the ordered chain of VNFs every packet of the service traverses."""

    name: str
    chain: list[Vnf]
    trace: Trace

    def send(self, packet: Packet) -> Packet | None:
        current: Packet | None = packet
        for vnf in self.chain:
            assert current is not None
            vnf.seen += 1
            current.path.append(vnf.name)
            current = vnf.process(current)
            self.trace.emit(
                "nfv.packet",
                service=self.name,
                vnf=vnf.name,
                dropped=current is None,
                src=None if current is None else current.src,
                dst=None if current is None else current.dst,
            )
            if current is None:
                return None
        return current


class Nfvo:
    """NFV Orchestrator: turns a service description into running, chained VNFs."""

    def __init__(self, vnfm: Vnfm, trace: Trace) -> None:
        self.vnfm = vnfm
        self.trace = trace
        self.services: dict[str, NetworkService] = {}

    def create_service(self, name: str, chain: list[str]) -> NetworkService:
        if not chain:
            raise InvalidOperation(
                "a network service needs at least one VNF in its chain",
                zh="一个网络服务的链上至少要有一个虚拟网络功能",
            )
        vnfs = []
        try:
            for i, kind in enumerate(chain):
                vnfs.append(self.vnfm.instantiate(kind, f"{name}-{kind}-{i}"))
        except CapacityExceeded:
            for vnf in vnfs:  # all or nothing: do not leave half a service running
                self.vnfm.terminate(vnf.name)
            raise
        service = NetworkService(name, vnfs, self.trace)
        self.services[name] = service
        self.trace.emit("nfv.service", service=name, chain=[v.name for v in vnfs])
        return service


class Mano:
    """Management and orchestration: NFVO on top of a VNFM on top of a VIM over the NFVI."""

    def __init__(self, hosts: list[Host], trace: Trace | None = None) -> None:
        self.trace = trace if trace is not None else Trace()
        self.nfvi = ResourcePool(hosts, self.trace)
        self.vim = Vim(self.nfvi)
        self.vnfm = Vnfm(self.vim, self.trace)
        self.nfvo = Nfvo(self.vnfm, self.trace)
