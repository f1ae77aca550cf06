# expect: needs no second operating system
import math


def plan(facts):
    if facts["oses"] and not facts["apps"]:
        return {"type": "operating_system", "scene": {"oses": facts["oses"]}}
    if facts["users"]:
        return {"type": "desktop", "scene": {"desktops": facts["users"]}}
    if facts["apps"]:
        busy = math.ceil(facts["load"] * facts["server_cores"])
        per = min(facts["server_cores"] // busy, facts["server_memory_gb"] // facts["app_memory_gb"])
        return {"type": "server", "scene": {"hosts": math.ceil(len(facts["apps"]) / per)}}
    return {"type": "data", "scene": {"mapping": {}}}
