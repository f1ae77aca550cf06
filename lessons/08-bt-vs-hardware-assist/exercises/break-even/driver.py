"""Checks a predicted break-even point against the cost model; public.

The learner predicts how many page-table writes a workload can add before binary translation
becomes cheaper than hardware assist. The model then runs the mix with that many writes, and
with one fewer (``measure_techniques``), so the trace and the verdict are the model's own.
"""

from tutor.sim.isa import HARDWARE, measure_techniques

MODEL_ANSWERS = {
    "tutor.sim": ("cheaper", "technique_cycles"),
    "tutor.sim.isa": ("cheaper", "technique_cycles", "measure_techniques"),
}

RETURNS = {"break_even": (int, None)}


def costs_of(args):
    """The per-operation costs of this case's CPU: the published table with its measurements."""
    table = {op: dict(cycles) for op, cycles in HARDWARE[args["hardware"]].items()}
    for op, cycles in (args.get("measured") or {}).items():
        table[op].update(cycles)
    return table


def _bt_wins(args, writes, trace):
    mix = {op: int(n) for op, n in args["mix"].items()}
    mix["pte_write"] = mix.get("pte_write", 0) + writes
    totals = measure_techniques(mix, args["hardware"], trace, measured=args.get("measured"))
    return totals["bt"] < totals["hw"]


def run(submission, args, trace):
    answer = submission.break_even(dict(args["mix"]), costs_of(args))
    if answer is None:
        return {"writes": None, "bt_wins_at": False, "bt_wins_before": False}
    if answer < 0:
        error = ValueError(f"break_even returned {answer}: a number of writes is 0 or more")
        error.zh = f"break_even 返回了 {answer}：写入次数是 0 或更大的整数"
        raise error
    before = answer > 0 and _bt_wins(args, answer - 1, trace)
    return {"writes": answer, "bt_wins_at": _bt_wins(args, answer, trace), "bt_wins_before": before}


def compare(args, expected, actual, reveal=False):
    costs = costs_of(args)["pte_write"]
    if expected["writes"] is None:
        if actual["writes"] is None:
            return None
        return {
            "en": f"on this hardware one PTE write costs hardware assist {costs['hw']} cycles and "
            f"binary translation {costs['bt']}: each extra write favours hardware assist, so no "
            "number of writes makes BT cheaper; the answer is None",
            "zh": f"在这种硬件上，一次页表项写入在硬件辅助下花 {costs['hw']} 个周期，"
            f"在二进制翻译下花 {costs['bt']} 个：每多一次写入都对硬件辅助更有利，"
            "所以再多的写入也不会让二进制翻译更便宜；答案是 None",
        }
    if actual["writes"] is None:
        return {
            "en": f"you answered None, but here one PTE write costs hardware assist {costs['hw']} "
            f"cycles and binary translation only {costs['bt']}: enough extra writes always make "
            "BT cheaper",
            "zh": f"你回答了 None，但在这里一次页表项写入在硬件辅助下花 {costs['hw']} 个周期，"
            f"在二进制翻译下只花 {costs['bt']} 个：只要写入足够多，二进制翻译总会更便宜",
        }
    n = actual["writes"]
    if not actual["bt_wins_at"]:
        message = {
            "en": f"with {n} extra PTE writes the model still finds hardware assist no slower than "
            "binary translation (a tie goes to hardware assist): the answer is larger",
            "zh": f"多加 {n} 次页表项写入后，模型算出硬件辅助仍不比二进制翻译慢"
            "（相等时算硬件辅助）：答案应该更大",
        }
    elif actual["bt_wins_before"]:
        message = {
            "en": f"with {n - 1} extra PTE writes the model already finds binary translation "
            "cheaper: the answer is the smallest such number",
            "zh": f"多加 {n - 1} 次页表项写入时，模型就已经算出二进制翻译更便宜了："
            "答案应该是满足条件的最小数",
        }
    else:
        return None
    if reveal:
        message["en"] += f" (expected {expected['writes']})"
        message["zh"] += f"（应为 {expected['writes']}）"
    return message
