"""Operation mixes on first-generation VT-x and on nested-paging hardware, some measured.

Kinds: the hardware, whether the CPU was measured (some per-operation costs differ from the
published table), and which technique wins, so practice covers both winners on both kinds of
hardware; and the three mixes that test a rule of the prompt: totals that tie (hardware assist
wins), two operations that tie for decisive (the first one), and a mix whose largest gap favours
the loser (decisive is not the largest gap either way). Hidden mixes are random per learner,
with one of each of those three on every seed.
"""

from math import lcm

from tutor.sim.isa import HARDWARE, TECHNIQUES

COMPILE = {"plain": 1_000_000, "pte_write": 2_000, "page_fault": 500, "syscall": 1_000}
SYSCALLS = {"plain": 1_000_000, "syscall": 5_000, "pte_write": 50}
TLB = {"plain": 1_000_000, "tlb_miss": 20_000, "pte_write": 100}


def _winner(mix, hardware, measured):
    table = {op: {**HARDWARE[hardware][op], **measured.get(op, {})} for op in mix}
    cycles = {t: sum(n * table[op][t] for op, n in mix.items()) for t in TECHNIQUES}
    return "bt" if cycles["bt"] < cycles["hw"] else "hw"


def _case(name, zh, mix, hardware, measured=None, rule=None):
    measured = measured or {}
    winner = _winner(mix, hardware, measured)
    kinds = [hardware, "measured" if measured else "published", f"{winner} wins"]
    return {
        "name": name,
        "title": {"en": f"{name} ({hardware})", "zh": f"{zh}（{hardware}）"},
        "args": {"mix": mix, "hardware": hardware, "measured": measured},
        "kinds": kinds + ([rule] if rule else []),
    }


PRACTICE = [
    _case("page-table heavy", "大量写页表", COMPILE, "vt-x-2006"),
    _case("system-call heavy", "大量系统调用", SYSCALLS, "vt-x-2006"),
    _case("page-table heavy", "大量写页表", COMPILE, "nested-paging"),
    _case("TLB-miss heavy", "大量 TLB 未命中", TLB, "nested-paging"),
    _case("measured CPU", "实测的 CPU", COMPILE, "vt-x-2006", {"pte_write": {"hw": 6_000}}),
    _case("measured CPU", "实测的 CPU", SYSCALLS, "nested-paging", {"syscall": {"bt": 1_500}}),
    # 10 250 × 200 cycles saved by BT on TLB misses = 1 000 × 2 050 saved by hardware on syscalls
    _case(
        "tie on totals",
        "总数相等",
        {"plain": 1_000_000, "tlb_miss": 10_250, "syscall": 1_000},
        "nested-paging",
        rule="tied totals",
    ),
    # 2 050 × 390 = 390 × 2 050: pte_write comes first, so it is decisive
    _case(
        "two operations tie",
        "两种操作并列",
        {"plain": 1_000_000, "pte_write": 2_050, "syscall": 390},
        "nested-paging",
        rule="tied operations",
    ),
    # syscall's gap (2 050 000, for hardware) is the largest, but BT wins on the other two
    _case(
        "largest gap for the loser",
        "最大差距属于落败者",
        {"plain": 1_000_000, "syscall": 1_000, "pte_write": 100, "page_fault": 200},
        "vt-x-2006",
        rule="loser's largest gap",
    ),
]

OPS = ("pte_write", "page_fault", "syscall", "tlb_miss")


def _saves(hardware, technique):
    """The operations the technique runs cheaper on this hardware, with the cycles it saves."""
    other = "hw" if technique == "bt" else "bt"
    table = HARDWARE[hardware]
    return {
        op: table[op][other] - table[op][technique]
        for op in OPS
        if table[op][other] > table[op][technique]
    }


def _shuffled(rng, plain, counts):
    ops = list(counts)
    rng.shuffle(ops)
    return {"plain": plain, **{op: counts[op] for op in ops}}


def _tied_totals(rng):
    """What BT saves on one operation equals what hardware assist saves on another."""
    hardware = rng.choice(("vt-x-2006", "nested-paging"))
    bt_op, bt_gap = rng.choice(sorted(_saves(hardware, "bt").items()))
    hw_op, hw_gap = rng.choice(sorted(_saves(hardware, "hw").items()))
    tied = lcm(bt_gap, hw_gap) * rng.choice((1, 2, 5))
    counts = {bt_op: tied // bt_gap, hw_op: tied // hw_gap}
    return _case(
        "tie on totals",
        "总数相等",
        _shuffled(rng, rng.choice((200_000, 1_000_000)), counts),
        hardware,
        rule="tied totals",
    )


def _tied_operations(rng):
    """Two operations save the winner the same cycles, more than anything else in the mix."""
    hardware, winner = rng.choice((("vt-x-2006", "bt"), ("nested-paging", "hw")))
    saves = _saves(hardware, winner)
    first, second = rng.sample(sorted(saves), k=2)
    tied = lcm(saves[first], saves[second]) * rng.choice((1, 2, 3))
    counts = {first: tied // saves[first], second: tied // saves[second]}
    loser_saves = _saves(hardware, "hw" if winner == "bt" else "bt")
    against = rng.choice(sorted(loser_saves))
    counts[against] = max(1, tied // (2 * loser_saves[against]))  # half as much the other way
    return _case(
        "two operations tie",
        "两种操作并列",
        _shuffled(rng, rng.choice((200_000, 1_000_000)), counts),
        hardware,
        rule="tied operations",
    )


def _loser_largest_gap(rng):
    """One operation saves the loser more than any one saves the winner, who wins on two."""
    hardware, winner = rng.choice((("vt-x-2006", "bt"), ("nested-paging", "hw")))
    saves = _saves(hardware, winner)
    loser_op, loser_gap = rng.choice(
        sorted(_saves(hardware, "hw" if winner == "bt" else "bt").items())
    )
    counts = {loser_op: rng.choice((1_000, 2_000, 5_000)) * 10}
    largest = counts[loser_op] * loser_gap
    for op, share in zip(
        rng.sample(sorted(saves), k=2), rng.sample((0.55, 0.65, 0.8), k=2), strict=True
    ):
        counts[op] = int(largest * share) // saves[op]
    return _case(
        "largest gap for the loser",
        "最大差距属于落败者",
        _shuffled(rng, rng.choice((200_000, 1_000_000)), counts),
        hardware,
        rule="loser's largest gap",
    )


def hidden(rng):
    cases = []
    for n in range(8):
        mix = {"plain": rng.choice((200_000, 500_000, 1_000_000))}
        for op in rng.sample(OPS, k=rng.randint(2, 4)):
            mix[op] = rng.choice((50, 200, 1_000, 3_000, 10_000, 30_000))
        hardware = ("vt-x-2006", "nested-paging")[n % 2]
        measured = {}
        if n % 3 == 2:
            op = rng.choice([op for op in mix if op != "plain"])
            technique = rng.choice(("bt", "hw"))
            base = HARDWARE[hardware][op][technique]
            measured = {op: {technique: max(1, round(base * rng.choice((0.5, 0.75, 1.5, 2))))}}
        cases.append(_case(f"mix {n + 1}", f"组合 {n + 1}", mix, hardware, measured))
    return cases + [_tied_totals(rng), _tied_operations(rng), _loser_largest_gap(rng)]
