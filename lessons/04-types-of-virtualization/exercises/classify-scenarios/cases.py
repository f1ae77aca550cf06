"""Situations described by their facts; the learner names the type and builds its scene.

Every situation carries the same fields, most of them empty, so the type is read from what the
situation needs, not from which field exists: desktops have one OS too (which alone needs no OS
virtualization), and servers have users elsewhere. Kinds are the five types.
"""

import random

EMPTY = {
    "computers": 0,
    "users": 0,
    "oses": [],
    "apps": [],
    "load": 0.0,
    "server_cores": 16,
    "server_memory_gb": 64,
    "app_memory_gb": 8,
    "sources": {},
    "fields": [],
    "synonyms": {},
    "network": {},
}
SYNONYMS = {
    "name": ["cust_name", "buyer", "NAME", "full_name", "client"],
    "city": ["town", "ship_city", "CITY", "location"],
    "total": ["amount", "order_total", "SUM", "value"],
}
OS_NAMES = ["Windows 11", "Ubuntu 24.04", "FreeBSD 14", "Fedora 41", "Debian 12", "Windows 10"]
PEOPLE = ["Li Wei", "Ana Costa", "Wang Fang", "Tom Reed", "Chen Jie", "Sara Holm", "Liu Yang"]
CITIES = ["Shanghai", "Lisbon", "Beijing", "Leeds", "Oslo", "Chengdu"]


def _case(kind, title, **facts):
    return {"name": kind, "title": title, "kinds": [kind], "args": {"facts": {**EMPTY, **facts}}}


def desktop(users, computers):
    title = {
        "en": f"{users} call-centre staff share {computers} thin clients in shifts; IT must patch "
        "and security-check every desktop at once",
        "zh": f"{users} 名呼叫中心员工轮班共用 {computers} 台瘦客户机；IT 部门要一次性给每台桌面"
        "打补丁并做安全检查",
    }
    return _case("desktop", title, users=users, computers=computers, oses=["Windows 11"])


def operating_system(oses):
    title = {
        "en": f"a developer's one laptop must run {', '.join(oses)} at the same time",
        "zh": f"一位开发者的一台笔记本电脑要同时运行 {'、'.join(oses)}",
    }
    return _case("operating_system", title, computers=1, users=0, oses=oses)


def server(apps, load, cores=16, memory=64, app_memory=8):
    title = {
        "en": f"{apps} applications, each alone on its own server ({cores} cores, {memory} GB) "
        f"that is {round(load * 100)} % busy; each needs {app_memory} GB of memory",
        "zh": f"{apps} 个应用，各自独占一台 {cores} 核、{memory} GB 内存的服务器，服务器只有 "
        f"{round(load * 100)}% 繁忙；每个应用需要 {app_memory} GB 内存",
    }
    return _case(
        "server",
        title,
        computers=apps,
        apps=[f"app{i}" for i in range(apps)],
        load=load,
        oses=["Linux"],
        server_cores=cores,
        server_memory_gb=memory,
        app_memory_gb=app_memory,
    )


def data(rng, sources, fields):
    built = {}
    for name in sources:
        columns = {f: rng.choice(SYNONYMS[f]) for f in fields}
        columns_extra = {"internal_id": 0}
        built[name] = [
            {
                **{columns[f]: _value(rng, f) for f in fields},
                **{k: rng.randint(1, 999) for k in columns_extra},
            }
            for _ in range(rng.randint(1, 3))
        ]
    title = {
        "en": f"a report needs {', '.join(fields)} from {', '.join(sources)}, which each name "
        "them differently, with today's data",
        "zh": f"一份报表需要从 {'、'.join(sources)} 取 {'、'.join(fields)}，它们各自的字段名"
        "都不一样，而且要今天的数据",
    }
    return _case(
        "data",
        title,
        sources=built,
        fields=list(fields),
        synonyms={f: SYNONYMS[f] for f in fields},
    )


def _value(rng, field):
    if field == "name":
        return rng.choice(PEOPLE)
    if field == "city":
        return rng.choice(CITIES)
    return rng.randint(10, 500)


def network_function(block_ports, hide, backends):
    network = {}
    parts_en, parts_zh = [], []
    if block_ports:
        network["block_ports"] = block_ports
        parts_en.append(f"block port(s) {block_ports}")
        parts_zh.append(f"封锁端口 {block_ports}")
    if hide:
        network["hide_addresses"] = True
        parts_en.append("hide its inside addresses")
        parts_zh.append("隐藏内部地址")
    if backends:
        network["backends"] = backends
        parts_en.append(f"spread requests over {len(backends)} servers")
        parts_zh.append(f"把请求分摊到 {len(backends)} 台服务器")
    title = {
        "en": "a telecom customer wants, without new boxes: " + "; ".join(parts_en),
        "zh": "一位电信客户希望不添置新设备就能：" + "；".join(parts_zh),
    }
    return _case("network_function", title, network=network)


PRACTICE = [
    desktop(120, 40),
    operating_system(["Windows 11", "Ubuntu 24.04"]),
    server(8, 0.1, 16, 64, 16),
    # 2.7 servers of load, 72 GB: adding up gives 3; whole cores give 2 VMs a server, so 5
    server(9, 0.3, 8, 64, 8),
    data(random.Random(4), ["crm", "shop"], ["name", "city"]),
    network_function([23], True, []),
]


def _server_case(rng, cores, memory_bound=False):
    """A fleet where adding up the load, alone or beside the memory, gives the wrong count:
    rounding each VM up to whole cores decides how many fit on a server; or, memory_bound, one
    where memory decides, and adding up the load alone gives the wrong count."""
    while True:
        apps, load = rng.randint(5, 40), rng.choice([0.05, 0.1, 0.15, 0.2, 0.3])
        memory, app_memory = rng.choice([64, 128]), rng.choice([4, 8, 16])
        busy = max(1, -(-int(load * cores * 1000) // 1000))
        per_server = min(cores // busy, memory // app_memory)
        by_load = -(-int(apps * load * 1000) // 1000)
        by_memory = -(-apps * app_memory // memory)
        if memory_bound:
            wrong = (by_load,) if memory // app_memory < cores // busy else ()
        else:
            wrong = (by_load, max(by_load, by_memory))
        if wrong and -(-apps // per_server) not in wrong:
            return server(apps, load, cores, memory, app_memory)


def _network_case(rng):
    """Some of the three network functions, never none (the case must ask for something) and
    never all three: a chain of every function whatever was asked would pass that one."""
    while True:
        wants = [rng.random() < 0.6, rng.random() < 0.6, rng.random() < 0.5]
        if 0 < sum(wants) < 3:
            break
    return network_function(
        [23] if wants[0] else [], wants[1], ["10.0.0.10", "10.0.0.11"] if wants[2] else []
    )


def hidden(rng):
    """One situation of each type with this learner's numbers (two for servers: whole cores
    decide one, memory the other), in this learner's order."""
    cores = rng.choice([8, 16, 32])
    cases = [
        desktop(rng.randint(50, 300), rng.randint(10, 49)),
        operating_system(rng.sample(OS_NAMES, rng.randint(2, 4))),
        _server_case(rng, cores),
        _server_case(rng, cores, memory_bound=True),
        data(
            rng,
            rng.sample(["crm", "shop", "erp", "billing"], rng.randint(2, 4)),
            rng.sample(["name", "city", "total"], rng.randint(2, 3)),
        ),
        _network_case(rng),
    ]
    rng.shuffle(cases)
    return cases
