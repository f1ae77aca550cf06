# expect: every user gets a desktop of their own
def plan(facts):
    if facts["users"]:
        return {"type": "desktop", "scene": {"desktops": facts["computers"]}}
    if len(facts["oses"]) > 1:
        return {"type": "operating_system", "scene": {"oses": facts["oses"]}}
    return {"type": "server", "scene": {"hosts": 1}}
