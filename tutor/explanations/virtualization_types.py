"""The five types of virtualization: what each gives, and what its scene needs (lesson 4)."""

EXPLANATIONS = {
    # What each type does, said when it is chosen for a situation it does not fit.
    "gives": {
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
            "balancer) as software on ordinary servers; this situation asks for no network "
            "function",
            "zh": "网络功能虚拟化把网络功能（防火墙、NAT、负载均衡器）变成运行在普通服务器"
            "上的软件；"
            "这个场景并不需要任何网络功能",
        },
    },
    # Why a network service needs each VNF.
    "vnf": {
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
    },
    "unknown_type": {
        "en": "it is not a type of virtualization here; the types are {types}",
        "zh": "它不是这里的虚拟化类型；类型有：{types}",
    },
    # Why a scene of the right type does not meet the situation's need.
    "unmet": {
        "desktop": {
            "en": "every user gets a desktop of their own, each a linked clone of the one "
            "golden image",
            "zh": "每个用户都有一台自己的桌面，每台都是同一个黄金镜像的链接克隆",
        },
        "operating_system": {
            "en": "the computer must run exactly the operating systems this situation needs, "
            "each once, side by side under one hosted hypervisor",
            "zh": "这台计算机要运行的正好是这个场景需要的那些操作系统，每个一次，并排运行在同一个"
            "托管型虚拟机监控程序之下",
        },
        "server": {
            "en": "that is not how many the model keeps on: each application becomes a VM "
            "reserving the cores its load really uses (rounded up) and its memory, and they are "
            "packed onto as few servers as both allow",
            "zh": "这不是模型最后保留开机的数量：每个应用变成一台虚拟机，预留它的负载真正用到的"
            "核数（向上取整）和它的内存，再在两者都允许的前提下挤到尽可能少的服务器上",
        },
        "data": {
            "en": "the view gave {complete} complete row(s) of {total}: map every source, and "
            "each of its fields that means a report field, onto that report field's name",
            "zh": "视图只给出了 {complete} 行完整数据，共有 {total} 行：请映射每个数据源，并把它"
            "表示报表字段的每个字段都映射到那个报表字段的名字上",
        },
        "network_function": {
            "en": "the service did not behave as the customer asked",
            "zh": "这个网络服务的行为不符合客户的要求",
        },
    },
    "unasked_vnf": {
        "en": "the customer did not ask for it, and every VNF is a VM on the NFVI, so chain only "
        "the functions the service needs",
        "zh": "客户并没有要求它，而每个 VNF 都是 NFVI 上的一台虚拟机，所以只串接服务需要的网络功能",
    },
    # What a scene of each type must hold, said when the learner's scene does not.
    "scene": {
        "desktops": {
            "en": "scene['desktops'] must be a whole number above 0",
            "zh": "scene['desktops'] 必须是大于 0 的整数",
        },
        "oses": {
            "en": "scene['oses'] must be a list of OS names",
            "zh": "scene['oses'] 必须是由操作系统名组成的列表",
        },
        "hosts": {"en": "scene['hosts'] must be a whole number", "zh": "scene['hosts'] 必须是整数"},
        "mapping": {
            "en": "scene['mapping'] must map each source to {{its field: report field}}",
            "zh": "scene['mapping'] 必须把每个数据源映射为 {{它的字段: 报表字段}}",
        },
        "chain": {
            "en": "scene['chain'] must be a non-empty list of VNF kinds",
            "zh": "scene['chain'] 必须是由 VNF 种类组成的非空列表",
        },
    },
}
