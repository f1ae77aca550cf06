"""Machines: the toy ISA with some instructions allowed to run in user mode.

Kinds: each sensitive instruction that runs in user mode (the hole a kernel must find), and
"virtualizable" for machines whose user-mode instructions are all innocuous. Every hidden set has
each one-hole machine of PRACTICE (with other innocuous instructions), so a kernel that gets one
hole wrong fails the Submit as it fails the Run; the others mix one to three holes with
innocuous instructions, or none at all.
"""

SENSITIVE = ("getr", "getmode", "popf", "cli", "sti", "out", "setr", "halt")
INNOCUOUS = ("add", "load", "store")


def _case(runs_in_user_mode, name=None):
    holes = [op for op in runs_in_user_mode if op in SENSITIVE]
    label = ", ".join(runs_in_user_mode) or "nothing"
    zh = "、".join(runs_in_user_mode) or "无"
    return {
        "name": name or f"user mode: {label}",
        "title": {"en": f"runs in user mode: {label}", "zh": f"可在用户态运行：{zh}"},
        "args": {"runs_in_user_mode": list(runs_in_user_mode)},
        "kinds": holes or ["virtualizable"],
    }


PRACTICE = [
    _case(["add", "load", "store"], "the toy ISA"),
    _case(["add", "load", "store", "getr", "getmode", "popf"], "x86-like"),
    _case(["add", "load", "store", "getmode", "popf"], "x86 with UMIP"),
    _case(["getr"]),
    _case(["cli"]),
    _case(["sti"]),
    _case(["out", "load"]),
    _case(["setr"]),
    _case(["halt", "add"]),
]


# The holes PRACTICE tests one at a time: "halt" alone, "sti" alone... A mistake about one of
# them fails a practice case; a hidden set that drew it only among other holes (whose recipe a
# kernel uses first) would let the same mistake score 100 on Submit.
ONE_HOLE = [
    c["kinds"][0] for c in PRACTICE if c["kinds"] != ["virtualizable"] and len(c["kinds"]) == 1
]


def hidden(rng):
    cases = [_case(sorted(rng.sample(INNOCUOUS, k=rng.randint(0, 3))))]
    for hole in ONE_HOLE:
        cases.append(_case(sorted([hole, *rng.sample(INNOCUOUS, k=rng.randint(0, 2))])))
    for _ in range(8):
        holes = rng.sample(SENSITIVE, k=rng.randint(1, 3))
        cases.append(_case(sorted(holes + rng.sample(INNOCUOUS, k=rng.randint(0, 2)))))
    rng.shuffle(cases)
    return cases
