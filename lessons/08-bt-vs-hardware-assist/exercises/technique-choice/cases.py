"""Operation mixes on first-generation VT-x and on nested-paging hardware, some measured.

Kinds: the hardware, whether the CPU was measured (some per-operation costs differ from the
published table), and which technique wins, so practice covers both winners on both kinds of
hardware. Hidden mixes are random per learner.
"""

from tutor.sim.isa import HARDWARE, TECHNIQUES

COMPILE = {"plain": 1_000_000, "pte_write": 2_000, "page_fault": 500, "syscall": 1_000}
SYSCALLS = {"plain": 1_000_000, "syscall": 5_000, "pte_write": 50}
TLB = {"plain": 1_000_000, "tlb_miss": 20_000, "pte_write": 100}


def _winner(mix, hardware, measured):
    table = {op: {**HARDWARE[hardware][op], **measured.get(op, {})} for op in mix}
    cycles = {t: sum(n * table[op][t] for op, n in mix.items()) for t in TECHNIQUES}
    return "bt" if cycles["bt"] < cycles["hw"] else "hw"


def _case(name, zh, mix, hardware, measured=None):
    measured = measured or {}
    winner = _winner(mix, hardware, measured)
    return {
        "name": name,
        "title": {"en": f"{name} ({hardware})", "zh": f"{zh}（{hardware}）"},
        "args": {"mix": mix, "hardware": hardware, "measured": measured},
        "kinds": [hardware, "measured" if measured else "published", f"{winner} wins"],
    }


PRACTICE = [
    _case("page-table heavy", "大量写页表", COMPILE, "vt-x-2006"),
    _case("system-call heavy", "大量系统调用", SYSCALLS, "vt-x-2006"),
    _case("page-table heavy", "大量写页表", COMPILE, "nested-paging"),
    _case("TLB-miss heavy", "大量 TLB 未命中", TLB, "nested-paging"),
    _case("measured CPU", "实测的 CPU", COMPILE, "vt-x-2006", {"pte_write": {"hw": 6_000}}),
    _case("measured CPU", "实测的 CPU", SYSCALLS, "nested-paging", {"syscall": {"bt": 1_500}}),
]

OPS = ("pte_write", "page_fault", "syscall", "tlb_miss")


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
    return cases
