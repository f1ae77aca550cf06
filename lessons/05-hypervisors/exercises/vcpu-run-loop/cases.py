"""Guest programs for the exit loop: serial output, port input, MMIO disk reads, then HLT."""

SERIAL, INPUT, SECTOR, DATA = 0x3F8, 0x60, 0xD000, 0xD004


def _say(text):
    program = []
    for ch in text:
        program += [["mov", "a", ord(ch)], ["out", SERIAL, "a"]]
    return program


def _case(name, program, disk, inputs):
    return {"name": name, "args": {"program": program + [["hlt"]], "disk": disk, "input": inputs}}


def generate(rng, variant):
    if variant == "practice":
        disk = [10 * i for i in range(16)]
        return [
            _case("halt at once", [], disk, []),
            _case("print OK", _say("OK"), disk, []),
            _case(
                "read a key and a sector",
                [
                    ["in", "b", INPUT],
                    ["mov", "c", 3],
                    ["mmio_write", SECTOR, "c"],
                    ["mmio_read", "d", DATA],
                    ["add", "d", 1],
                ]
                + _say("hi"),
                disk,
                [42],
            ),
        ]
    cases = []
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
        cases.append(_case(f"{size} device round(s)", program, disk, inputs))
    return cases
