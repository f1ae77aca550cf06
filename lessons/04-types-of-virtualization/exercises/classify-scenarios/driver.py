"""Builds the scene a learner's classification implies, on the model, and checks that it meets
the situation's need; public.

The learner names the type of virtualization that fits a situation and the scene that type
implies (how many desktops, which OSes, how many servers stay on, how each data source's fields
map onto the report's, which network functions to chain). The driver builds exactly that scene
with ``tutor.sim`` (``scenarios.py``, ``network.py``); its trace is the replay.
"""

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

# What each type does, said when it is chosen for a situation it does not fit.
GIVES = {
    "desktop": {
        "en": "desktop virtualization gives many users desktops cloned from one image, updated "
        "and checked by one tool; this situation has no users waiting for desktops",
        "zh": "桌面虚拟化为许多用户提供从同一个镜像克隆出来、由一个工具统一更新和检查的桌面；"
        "这个场景里没有等着要桌面的用户",
    },
    "operating_system": {
        "en": "operating-system virtualization runs several operating systems on one computer; "
        "this situation needs no second operating system",
        "zh": "操作系统虚拟化让一台计算机运行多个操作系统；这个场景并不需要第二个操作系统",
    },
    "server": {
        "en": "server virtualization lets one server act as several, so lightly used servers "
        "consolidate; this situation has no applications on underused servers",
        "zh": "服务器虚拟化让一台服务器充当几台，从而整合利用率低的服务器；这个场景里没有跑在"
        "闲置服务器上的应用",
    },
    "data": {
        "en": "data virtualization joins scattered data sources into one view; this situation "
        "has no separate data sources to join",
        "zh": "数据虚拟化把分散的数据源整合成一个视图；这个场景里没有需要整合的独立数据源",
    },
    "network_function": {
        "en": "network function virtualization runs network functions (firewall, NAT, load "
        "balancer) as software on ordinary servers; this situation asks for no network function",
        "zh": "网络功能虚拟化把网络功能（防火墙、NAT、负载均衡器）变成运行在普通服务器上的软件；"
        "这个场景并不需要任何网络功能",
    },
}

VNF_FOR = {"block_ports": "firewall", "hide_addresses": "nat", "backends": "load_balancer"}
WHY_VNF = {
    "firewall": {
        "en": "a firewall drops the ports the customer wants blocked",
        "zh": "防火墙负责丢弃客户要求封锁的端口",
    },
    "nat": {
        "en": "a NAT rewrites the inside addresses to one public address, hiding them",
        "zh": "NAT 把内部地址改写成同一个公网地址，从而把它们隐藏起来",
    },
    "load_balancer": {
        "en": "a load balancer spreads the requests over the back-end servers",
        "zh": "负载均衡器把请求分摊到各台后端服务器上",
    },
}


def _fail(en, zh):
    return {"met": False, "why": {"en": en, "zh": zh}}


def _desktop(facts, scene, trace):
    n = scene.get("desktops")
    if not isinstance(n, int) or n < 1:
        return _fail(
            "scene['desktops'] must be a whole number above 0",
            "scene['desktops'] 必须是大于 0 的整数",
        )
    pool = DesktopPool(trace=trace)
    pool.install(1, 1)
    pool.roll_out(n)
    pool.push_update({2: 2})
    failing = pool.audit(2, 2)
    return {"met": n == facts["users"] and not failing, "desktops": n}


def _operating_system(facts, scene, trace):
    oses = scene.get("oses")
    if not isinstance(oses, list):
        return _fail(
            "scene['oses'] must be a list of OS names", "scene['oses'] 必须是由操作系统名组成的列表"
        )
    several_oses([str(o) for o in oses], trace=trace)
    return {"met": sorted(oses) == sorted(facts["oses"]), "oses": sorted(map(str, oses))}


def _server(facts, scene, trace):
    hosts = scene.get("hosts")
    if not isinstance(hosts, int):
        return _fail("scene['hosts'] must be a whole number", "scene['hosts'] 必须是整数")
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
        return _fail(
            "scene['mapping'] must map each source to {its field: report field}",
            "scene['mapping'] 必须把每个数据源映射为 {它的字段: 报表字段}",
        )
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
        return _fail(
            "scene['chain'] must be a non-empty list of VNF kinds",
            "scene['chain'] 必须是由 VNF 种类组成的非空列表",
        )
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
    kind, want = actual["type"], expected["type"]
    if kind not in BUILD:
        return {
            "en": f"{kind!r} is not a type of virtualization here; the types are "
            f"{', '.join(TYPES)}",
            "zh": f"{kind!r} 不是这里的虚拟化类型；类型有：{', '.join(TYPES)}",
        }
    if kind != want:
        return {
            "en": f"you chose {kind!r}, but {GIVES[kind]['en']}",
            "zh": f"你选择了 {kind!r}，但{GIVES[kind]['zh']}",
        }
    if actual["met"]:
        return None
    if "why" in actual:
        return actual["why"]
    facts = args["facts"]
    if kind == "desktop":
        return {
            "en": f"{actual['desktops']} desktops for {facts['users']} users: every user gets "
            "a desktop of their own, each a linked clone of the one golden image",
            "zh": f"{facts['users']} 个用户却有 {actual['desktops']} 台桌面：每个用户都有一台"
            "自己的桌面，每台都是同一个黄金镜像的链接克隆",
        }
    if kind == "operating_system":
        return {
            "en": "the computer must run exactly the operating systems this situation needs, "
            "each once, side by side under one hosted hypervisor",
            "zh": "这台计算机要运行的正好是这个场景需要的那些操作系统，每个一次，并排运行在同一个"
            "托管型虚拟机监控程序之下",
        }
    if kind == "server":
        message = {
            "en": f"{actual['hosts']} server(s) is not how many the model keeps on: each "
            "application becomes a VM reserving the cores its load really uses (rounded up) and "
            "its memory, and they are packed onto as few servers as both allow",
            "zh": f"{actual['hosts']} 台服务器不是模型最后保留开机的数量：每个应用变成一台虚拟机，"
            "预留它的负载真正用到的核数（向上取整）和它的内存，再在两者都允许的前提下挤到尽可能少的"
            "服务器上",
        }
        if reveal:
            message = {
                "en": f"{message['en']} (the model keeps {expected['hosts']})",
                "zh": f"{message['zh']}（模型保留 {expected['hosts']} 台）",
            }
        return message
    if kind == "data":
        return {
            "en": f"the view gave {actual.get('complete', 0)} complete row(s) of "
            f"{sum(len(r) for r in facts['sources'].values())}: map every source, and each of "
            "its fields that means a report field, onto that report field's name",
            "zh": f"视图只给出了 {actual.get('complete', 0)} 行完整数据，共有 "
            f"{sum(len(r) for r in facts['sources'].values())} 行：请映射每个数据源，并把它"
            "表示报表字段的每个字段都映射到那个报表字段的名字上",
        }
    need = _needed_vnfs(facts["network"])
    for vnf in actual.get("chain", []):
        if vnf not in need:
            return {
                "en": f"the chain has a {vnf!r} the customer did not ask for: every VNF is a VM "
                "on the NFVI, so chain only the functions the service needs",
                "zh": f"服务链里有客户并没有要求的 {vnf!r}：每个 VNF 都是 NFVI 上的一台虚拟机，"
                "所以只串接服务需要的网络功能",
            }
    for vnf in need:
        if vnf not in actual.get("chain", []):
            return {
                "en": f"the chain lacks a function the customer needs: {WHY_VNF[vnf]['en']}",
                "zh": f"服务链缺少客户需要的一项网络功能：{WHY_VNF[vnf]['zh']}",
            }
    return {
        "en": "the service did not behave as the customer asked",
        "zh": "这个网络服务的行为不符合客户的要求",
    }
