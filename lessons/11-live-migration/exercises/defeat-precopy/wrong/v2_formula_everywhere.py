# expect: pre-copy still wins
def design(link):
    # after 5 rounds the pause sends M·r^5: solve M·r^5·8/B = budget, for both rule sets
    m, b = link["memory_mb"], link["bandwidth_mbps"]
    budget_s = link["budget_ms"] / 1000
    r = (budget_s * b / 8 / m) ** (1 / 5)
    return {"dirty_mbps": r * b * 1.001, "rounds": 5}
