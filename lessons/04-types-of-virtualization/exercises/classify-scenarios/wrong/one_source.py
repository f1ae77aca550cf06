# expect: map every source
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
        # Copy the first system's names for everyone: they all hold the same kind of data.
        first = next(iter(facts["sources"].values()))[0]
        names = {f: w for f in first for w, ns in facts["synonyms"].items() if f in ns}
        return {"type": "data", "scene": {"mapping": {s: names for s in facts["sources"]}}}
    return {"type": "network_function", "scene": {"chain": ["firewall"]}}
