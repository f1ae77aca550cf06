"""What a VM needs from its host to run a workload (lesson 1, vm-spec)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Text, explain

EXPLANATIONS = {
    # What each resource of a VM must cover, said when a spec falls short of it.
    "needs": {
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
    },
    "none_needed": {
        "en": ". No spec can meet this workload and still leave the next guest its share here: "
        "return None.",
        "zh": "。在这台宿主机上，没有哪份规格既满足工作负载、又给下一台客户机留出份额：请"
        "返回 None。",
    },
    "exists": {
        "en": "spec() returned None, but a spec exists that this host admits, that meets the "
        "workload and leaves the next guest its share: count what is free after the "
        "hypervisor's own pages and the guests already there",
        "zh": "spec() 返回了 None，但确实存在一份规格：宿主机能接纳它，它满足工作负载，"
        "还给下一台客户机留出了份额。请算一算扣除虚拟机监控程序自己的页和已有客户机之后还剩多少",
    },
    "refused": {"en": "the host refused your spec: {why}", "zh": "宿主机拒绝了你的规格：{why}"},
    "short": {
        "en": "{key} = {value} does not meet the workload: {why}",
        "zh": "{key} = {value}，满足不了工作负载：{why}",
    },
    "next_guest": {
        "en": "your spec fits, but then the next guest does not: {why}",
        "zh": "你的规格放得下，但之后下一台客户机就放不下了：{why}",
    },
    "passes": {"en": "your spec passes here", "zh": "你的规格在这里通过了"},
}


def spec_problem(outcome: Mapping[str, Any], possible: bool, reveal: bool = False) -> Text | None:
    """What is wrong with a VM spec's trial on the host (``tutor.sim.testbed.try_spec``), when
    some spec could meet the workload (``possible``) or none could: the host refused it, it
    gives the workload too little of something, or it leaves no room for the next guest. That
    no spec could (the answer, None) is said only with ``reveal``."""
    spec = outcome["spec"]
    if spec is None:
        return explain("vm_spec.exists") if possible else None
    if outcome["refused"]:
        message = explain("vm_spec.refused", why=outcome["refused"])
    elif outcome["short"]:
        key = outcome["short"][0]
        why = explain(f"vm_spec.needs.{key}")
        message = explain("vm_spec.short", key=key, value=spec[key], why=why)
    elif outcome["room"] not in (None, True):
        message = explain("vm_spec.next_guest", why=outcome["room"])
    elif possible:
        return None
    else:
        message = explain("vm_spec.passes")
    if possible or not reveal:
        return message
    return {lang: message[lang] + explain("vm_spec.none_needed")[lang] for lang in message}
