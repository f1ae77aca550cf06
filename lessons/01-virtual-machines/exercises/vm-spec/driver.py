"""Carves the learner's VM spec out of a model host and checks it against the workload; public.

The model decides: ``SlicedHost.carve`` admits the spec or refuses it (``slice.refused`` names the
resource), then the next guest must still be carved. Whether the spec meets the workload is
checked here, resource by resource. Several specs can be right, so the reference's spec is never
compared with the learner's: only whether one exists.
"""

from tutor.sim import CapacityExceeded, Disk, Host, Nic, SlicedHost

RETURNS = {"spec": ({"vcpus": int, "memory_pages": int, "disk_blocks": int, "nic_mbps": int}, None)}
KEYS = ("vcpus", "memory_pages", "disk_blocks", "nic_mbps")
NEEDS = {
    "vcpus": {
        "en": "each of the workload's threads needs a vCPU of its own (threads)",
        "zh": "工作负载的每个线程都需要一个自己的 vCPU（threads）",
    },
    "memory_pages": {
        "en": "the VM's memory holds the guest operating system as well as the application "
        "(os_pages + app_pages)",
        "zh": "虚拟机的内存既要装下应用程序，也要装下客户机操作系统（os_pages + app_pages）",
    },
    "disk_blocks": {
        "en": "the virtual disk holds the guest operating system as well as the data "
        "(os_blocks + data_blocks)",
        "zh": "虚拟磁盘既要装下数据，也要装下客户机操作系统（os_blocks + data_blocks）",
    },
    "nic_mbps": {
        "en": "the vNIC's share of the network card must carry the workload's traffic (mbps)",
        "zh": "虚拟网卡分到的网卡带宽必须承载得了工作负载的流量（mbps）",
    },
}
NONE_NEEDED = {
    "en": ". No spec can meet this workload and still leave the next guest its share here: "
    "return None.",
    "zh": "。在这台宿主机上，没有哪份规格既满足工作负载、又给下一台客户机留出份额：请返回 None。",
}


def run(submission, args, trace):
    host, workload = args["host"], args["workload"]
    model = SlicedHost(
        Host(
            "host",
            cores=host["cores"],
            memory_pages=host["memory_pages"],
            disks=(Disk("sda", host["disk_blocks"]),),
            nics=(Nic("eth0", host["nic_mbps"]),),
        ),
        trace=trace,
        hypervisor_pages=host["hypervisor_pages"],
    )
    for i, guest in enumerate(host["guests"]):
        model.carve(f"guest{i + 1}", *(guest[key] for key in KEYS))
    spec = submission.spec(_copy(host), _copy(workload))
    outcome = {"spec": spec, "refused": None, "error": None, "short": [], "room": None}
    if spec is None:
        return outcome
    try:
        model.carve("yours", *(spec[key] for key in KEYS))
    except CapacityExceeded as error:
        outcome["refused"] = {"en": str(error), "zh": error.zh}
        return outcome
    need = {
        "vcpus": workload["threads"],
        "memory_pages": workload["os_pages"] + workload["app_pages"],
        "disk_blocks": workload["os_blocks"] + workload["data_blocks"],
        "nic_mbps": workload["mbps"],
    }
    outcome["short"] = [key for key in KEYS if spec[key] < need[key]]
    if host["next"] is not None:
        try:
            model.carve("next", *(host["next"][key] for key in KEYS))
            outcome["room"] = True
        except CapacityExceeded as error:
            outcome["room"] = {"en": str(error), "zh": error.zh}
    return outcome


def compare(args, expected, actual, reveal=False):
    possible = expected["spec"] is not None
    tail = {"en": "", "zh": ""} if possible else NONE_NEEDED
    if actual["spec"] is None:
        if not possible:
            return None
        return {
            "en": "spec() returned None, but a spec exists that this host admits, that meets the "
            "workload and leaves the next guest its share: count what is free after the "
            "hypervisor's own pages and the guests already there",
            "zh": "spec() 返回了 None，但确实存在一份规格：宿主机能接纳它，它满足工作负载，"
            "还给下一台客户机留出了份额。请算一算扣除虚拟机监控程序自己的页和已有客户机之后还剩多少",
        }
    if actual["refused"]:
        return _join(
            "the host refused your spec: ", "宿主机拒绝了你的规格：", actual["refused"], tail
        )
    if actual["short"]:
        key = actual["short"][0]
        got = actual["spec"][key]
        return _join(
            f"{key} = {got} does not meet the workload: ",
            f"{key} = {got}，满足不了工作负载：",
            NEEDS[key],
            tail,
        )
    if actual["room"] not in (None, True):
        return _join(
            "your spec fits, but then the next guest does not: ",
            "你的规格放得下，但之后下一台客户机就放不下了：",
            actual["room"],
            tail,
        )
    if possible:
        return None
    return {
        "en": "your spec passes here" + NONE_NEEDED["en"],
        "zh": "你的规格在这里通过了" + NONE_NEEDED["zh"],
    }


def _join(en, zh, why, tail):
    return {"en": en + why["en"] + tail["en"], "zh": zh + (why["zh"] or why["en"]) + tail["zh"]}


def _copy(value):
    """The learner's function may change what it is given; the grader's copy stays intact."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value
