# expect: reserving the cores its load really uses
import math


def plan(facts):
    if facts["users"]:
        return {"type": "desktop", "scene": {"desktops": facts["users"]}}
    if len(facts["oses"]) > 1:
        return {"type": "operating_system", "scene": {"oses": facts["oses"]}}
    if facts["apps"]:
        # Add up the load: 8 servers at 10 % are 0.8 of a server, so one server.
        return {"type": "server", "scene": {"hosts": math.ceil(len(facts["apps"]) * facts["load"])}}
    return {"type": "data", "scene": {"mapping": {}}}
