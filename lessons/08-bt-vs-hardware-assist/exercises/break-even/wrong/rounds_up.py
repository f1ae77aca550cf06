# expect: still finds hardware assist no slower
import math


def break_even(mix, costs):
    totals = {t: sum(n * costs[op][t] for op, n in mix.items()) for t in ("bt", "hw")}
    lead = totals["bt"] - totals["hw"]
    if lead < 0:
        return 0
    extra = costs["pte_write"]["hw"] - costs["pte_write"]["bt"]
    if extra <= 0:
        return None
    return math.ceil(lead / extra)  # right except on a tie, which goes to hardware assist
