from tutor.sim import consolidate_servers


def plan(facts):
    if facts["users"]:
        return {"type": "desktop", "scene": {"desktops": facts["users"]}}
    if len(facts["oses"]) > 1:
        return {"type": "operating_system", "scene": {"oses": facts["oses"]}}
    if facts["apps"]:
        result = consolidate_servers(
            len(facts["apps"]),
            facts["load"],
            cores=facts["server_cores"],
            memory_pages=facts["server_memory_gb"] * 1024,
            server_pages=facts["app_memory_gb"] * 1024,
        )
        return {"type": "server", "scene": {"hosts": result.hosts_after}}
    if facts["sources"]:
        mapping = {
            s: {f: w for f in rows[0] for w, names in facts["synonyms"].items() if f in names}
            for s, rows in facts["sources"].items()
        }
        return {"type": "data", "scene": {"mapping": mapping}}
    order = ["firewall", "nat", "load_balancer"]
    need = facts["network"]
    wants = {"firewall": need.get("block_ports"), "nat": need.get("hide_addresses"),
             "load_balancer": need.get("backends")}
    return {"type": "network_function", "scene": {"chain": [v for v in order if wants[v]]}}
