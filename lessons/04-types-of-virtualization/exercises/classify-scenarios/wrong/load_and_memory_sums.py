# expect: reserving the cores its load really uses
import math


def plan(facts):
    if facts["users"]:
        return {"type": "desktop", "scene": {"desktops": facts["users"]}}
    if len(facts["oses"]) > 1:
        return {"type": "operating_system", "scene": {"oses": facts["oses"]}}
    if facts["apps"]:
        # Add up the load and the memory, and take whichever needs more servers.
        apps = len(facts["apps"])
        by_load = math.ceil(apps * facts["load"])
        by_memory = math.ceil(apps * facts["app_memory_gb"] / facts["server_memory_gb"])
        return {"type": "server", "scene": {"hosts": max(by_load, by_memory)}}
    if facts["sources"]:
        mapping = {}
        for source, rows in facts["sources"].items():
            mapping[source] = {}
            for field in rows[0]:
                for wanted, names in facts["synonyms"].items():
                    if field in names:
                        mapping[source][field] = wanted
        return {"type": "data", "scene": {"mapping": mapping}}
    order = ["firewall", "nat", "load_balancer"]
    wants = {
        "firewall": facts["network"].get("block_ports"),
        "nat": facts["network"].get("hide_addresses"),
        "load_balancer": facts["network"].get("backends"),
    }
    return {"type": "network_function", "scene": {"chain": [v for v in order if wants[v]]}}
