TYPES = ["desktop", "operating_system", "server", "data", "network_function"]


def plan(facts):
    """判断哪种虚拟化适合这个场景，以及它意味着怎样的场景。

    返回 {"type": TYPES 之一, "scene": {...}}；每种场景包含什么，见题目说明。
    """
    # 每个场景真的都和服务器有关吗？
    return {"type": "server", "scene": {"hosts": 1}}
