# expect: the customer did not ask for
import math


def plan(facts):
    if facts["users"]:
        return {"type": "desktop", "scene": {"desktops": facts["users"]}}
    if len(facts["oses"]) > 1:
        return {"type": "operating_system", "scene": {"oses": facts["oses"]}}
    if facts["apps"]:
        busy = math.ceil(facts["load"] * facts["server_cores"])
        per = min(facts["server_cores"] // busy, facts["server_memory_gb"] // facts["app_memory_gb"])
        return {"type": "server", "scene": {"hosts": math.ceil(len(facts["apps"]) / per)}}
    if facts["sources"]:
        mapping = {
            s: {f: w for f in rows[0] for w, names in facts["synonyms"].items() if f in names}
            for s, rows in facts["sources"].items()
        }
        return {"type": "data", "scene": {"mapping": mapping}}
    return {"type": "network_function", "scene": {"chain": ["firewall", "nat", "load_balancer"]}}
