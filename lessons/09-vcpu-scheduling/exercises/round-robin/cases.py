"""Job lists for round robin, all arriving at time 0.

Kinds: "rr" (every case), "partial-quantum" (a job ends inside a quantum, where the clock must
advance by the time it really ran), "long-quantum" (a quantum at least as long as every job:
round robin becomes FIFO) and "one-job".
"""


def _kinds(lengths, quantum):
    kinds = ["rr"]
    if any(length % quantum for length in lengths):
        kinds.append("partial-quantum")
    if quantum >= max(lengths):
        kinds.append("long-quantum")
    if len(lengths) == 1:
        kinds.append("one-job")
    return kinds


def _case(lengths, quantum, en, zh):
    return {
        "name": en,
        "title": {"en": en, "zh": zh},
        "args": {"lengths": lengths, "quantum": quantum},
        "kinds": _kinds(lengths, quantum),
    }


PRACTICE = [
    _case([5, 10, 15], 2, "OSTEP: jobs 5, 10, 15, quantum 2", "OSTEP：作业 5、10、15，时间片 2"),
    _case([2, 4, 6], 2, "whole quanta: 2, 4, 6, quantum 2", "整数个时间片：2、4、6，时间片 2"),
    _case([3, 6], 10, "a quantum longer than every job", "比所有作业都长的时间片"),
    _case([7], 3, "one job of 7, quantum 3", "一个长度为 7 的作业，时间片 3"),
]


def hidden(rng):
    cases = []
    q = rng.randint(2, 4)
    cases.append(_case([rng.randint(4, 12)], q, "one job", "一个作业"))
    lengths = [rng.randint(1, 6) for _ in range(3)]
    cases.append(_case(lengths, max(lengths) + rng.randint(0, 3), "long quantum", "长时间片"))
    for n in (3, 5, 7):
        q = rng.randint(1, 5)
        lengths = [rng.randint(1, 20) for _ in range(n)]
        cases.append(_case(lengths, q, f"{n} jobs", f"{n} 个作业"))
    q = rng.randint(2, 4)
    cases.append(
        _case([q * rng.randint(1, 4) for _ in range(4)], q, "whole quanta", "整数个时间片")
    )
    return cases
