"""Guest programs for the exit loop: serial output, port input, MMIO disk reads, then HLT.

A case's kinds are the exit reasons its program causes, so the checker can prove that the
practice cases meet every exit reason a hidden case will.
"""

SERIAL, INPUT, SECTOR, DATA = 0x3F8, 0x60, 0xD000, 0xD004
EXIT_OF = {"out": "io_out", "in": "io_in", "mmio_write": "mmio_write", "mmio_read": "mmio_read"}


def _say(text):
    program = []
    for ch in text:
        program += [["mov", "a", ord(ch)], ["out", SERIAL, "a"]]
    return program


def _case(title, program, disk, inputs):
    program = program + [["hlt"]]
    exits = sorted({EXIT_OF[insn[0]] for insn in program if insn[0] in EXIT_OF})
    return {
        "name": title["en"],
        "title": title,
        "args": {"program": program, "disk": disk, "input": inputs},
        "kinds": exits + ["hlt"],
    }


DISK = [10 * i for i in range(16)]
PRACTICE = [
    _case({"en": "halt at once", "zh": "立即停机"}, [], DISK, []),
    _case({"en": "print OK", "zh": "打印 OK"}, _say("OK"), DISK, []),
    _case(
        {"en": "read a key and a sector", "zh": "读一个按键和一个扇区"},
        [
            ["in", "b", INPUT],
            ["mov", "c", 3],
            ["mmio_write", SECTOR, "c"],
            ["mmio_read", "d", DATA],
            ["add", "d", 1],
        ]
        + _say("hi"),
        DISK,
        [42],
    ),
]


def hidden(rng):
    word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 5)))
    cases = [_case({"en": "print a word", "zh": "打印一个单词"}, _say(word), DISK, [])]
    for size in (1, 3, 6):
        disk = [rng.randrange(256) for _ in range(16)]
        inputs = [rng.randrange(1, 100) for _ in range(size)]
        program = []
        for i in range(size):
            sector = rng.randrange(16)
            program += [
                ["in", "b", INPUT],
                ["add", "a", 0],
                ["mov", "c", sector],
                ["mmio_write", SECTOR, "c"],
                ["mmio_read", "d", DATA],
            ]
            program += _say(rng.choice(["ok", "vm", "io", "go"]) + str(i))
        title = {"en": f"{size} device round(s)", "zh": f"{size} 轮设备交互"}
        cases.append(_case(title, program, disk, inputs))
    return cases
