"""Base workloads on both kinds of hardware: where is the break-even point?

Kinds: the hardware (on nested paging the answer is None), "measured" for a CPU whose exits cost
other than the published table, "bt already cheaper" for a base mix where the answer is 0, and
"tie" for a mix where BT and hardware assist cost exactly the same at some number of writes (a
tie goes to hardware assist: rounding the quotient up is wrong there and only there).
"""

SYSCALLS = {"plain": 1_000_000, "syscall": 4_000, "page_fault": 100}
SERVER = {"plain": 2_000_000, "syscall": 20_000, "tlb_miss": 5_000}
FAULTY = {"plain": 500_000, "page_fault": 3_000, "syscall": 200}
# On vt-x-2006 a system call costs BT 2,050 cycles more and a PTE write costs hardware assist
# 12,342 more: every 6,171 system calls, the two are tied after a whole number of writes.
TIED_SYSCALLS = 6_171


def _case(name, zh, mix, hardware, measured=None, extra=()):
    return {
        "name": name,
        "title": {"en": f"{name} ({hardware})", "zh": f"{zh}（{hardware}）"},
        "args": {"mix": mix, "hardware": hardware, "measured": measured or {}},
        "kinds": [hardware, *(["measured"] if measured else []), *extra],
    }


PRACTICE = [
    _case("system-call heavy", "大量系统调用", SYSCALLS, "vt-x-2006"),
    _case("server", "服务器", SERVER, "vt-x-2006"),
    _case("system-call heavy", "大量系统调用", SYSCALLS, "nested-paging"),
    _case("faulting", "频繁缺页", FAULTY, "vt-x-2006", extra=["bt already cheaper"]),
    _case("cheaper exits", "退出更便宜", SERVER, "vt-x-2006", {"pte_write": {"hw": 4_000}}),
    _case(
        "a tie",
        "周期相等",
        {"plain": 1_000_000, "syscall": TIED_SYSCALLS},
        "vt-x-2006",
        extra=["tie"],
    ),
]


def hidden(rng):
    cases = []
    for n in range(6):
        mix = {"plain": rng.choice((500_000, 1_000_000, 2_000_000))}
        mix["syscall"] = rng.randrange(500, 30_000, 100)
        if rng.random() < 0.5:
            mix["tlb_miss"] = rng.randrange(1_000, 20_000, 500)
        hardware = "nested-paging" if n == 2 else "vt-x-2006"
        measured = {}
        if n in (3, 5):
            measured = {"pte_write": {"hw": rng.randrange(2_000, 12_000, 250)}}
        cases.append(_case(f"workload {n + 1}", f"负载 {n + 1}", mix, hardware, measured))
    faulty = {"plain": 500_000, "page_fault": rng.randrange(2_000, 6_000, 100)}
    cases.append(_case("faulting", "频繁缺页", faulty, "vt-x-2006", extra=["bt already cheaper"]))
    tied = {"plain": rng.choice((500_000, 2_000_000)), "syscall": TIED_SYSCALLS * rng.randint(1, 4)}
    cases.append(_case("a tie", "周期相等", tied, "vt-x-2006", extra=["tie"]))
    cases.append(
        _case(
            "no difference",
            "没有差别",
            {"plain": rng.randrange(1_000, 100_000)},
            "vt-x-2006",
            extra=["tie"],
        )
    )
    rng.shuffle(cases)
    return cases
