"""Consolidating servers and what it saves in power (lesson 6, consolidation-savings)."""

EXPLANATIONS = {
    "why": {
        "hosts_after": {
            "en": "a VM is never split across hosts, so a host takes only as "
            "many whole servers' loads as fit under the target utilisation",
            "zh": "一台虚拟机不会被拆到几台宿主机上，所以一台宿主机只能装下目标利用率以内"
            "的整数个服务器负载",
        },
        "watts_before": {
            "en": "each server draws P(u) = P_idle + (P_max - P_idle) * u at "
            "its own utilisation: not P_max, and not zero when idle",
            "zh": "每台服务器按自己的利用率消耗 P(u) = P_idle + (P_max - P_idle) * u：既不是 "
            "P_max，空闲时也不是零",
        },
        "watts_after": {
            "en": "every host still running draws P_idle plus its share of the "
            "work; the work itself costs the same watts wherever it runs",
            "zh": "每台仍在运行的宿主机都要消耗 P_idle，再加上它承担的那份工作；工作本身"
            "在哪里运行，消耗的瓦数都一样",
        },
        "kwh_saved": {
            "en": "energy is watts saved x hours / 1000, and every watt the "
            "servers no longer draw is a watt the cooling no longer removes: "
            "multiply by the PUE",
            "zh": "能耗等于节省的瓦数 x 小时数 / 1000；服务器少用的每一瓦，冷却系统也不用"
            "再排走：还要乘以 PUE",
        },
    }
}
