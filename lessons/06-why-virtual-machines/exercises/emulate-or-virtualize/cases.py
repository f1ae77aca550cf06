"""Pools of x86_64 and arm64 hosts and guests to start in them; hidden ones drawn per learner.

Kinds: "same architecture" (virtualised), "another architecture" (no host speaks it: emulated),
"mixed pool" (hosts of both architectures: every guest finds its own) and "pool full" (the
architecture is right but no host has room: refused, not emulated).
"""

from tutor.sim import Arch, ArchitectureMismatch, CapacityExceeded, Host, ResourcePool, VmSpec

X86, ARM = "x86_64", "arm64"


def _host(name, arch, cores=8, pages=1024):
    return {"name": name, "arch": arch, "cores": cores, "pages": pages}


def _guest(name, arch, vcpus=2, pages=256):
    return {"name": name, "arch": arch, "vcpus": vcpus, "pages": pages}


def _case(hosts, guests):
    """Kinds come from what the model does with each guest, in order (earlier ones take room)."""
    pool = ResourcePool(
        Host(h["name"], h["cores"], h["pages"], arch=Arch(h["arch"])) for h in hosts
    )
    kinds = {"mixed pool"} if len({h["arch"] for h in hosts}) > 1 else set()
    for g in guests:
        try:
            pool.place(VmSpec(g["name"], g["vcpus"], g["pages"], 0.5, arch=Arch(g["arch"])))
            kinds.add("same architecture")
        except ArchitectureMismatch:
            kinds.add("another architecture")
        except CapacityExceeded:
            kinds.add("pool full")
    arches = {h["arch"] for h in hosts}
    names = ", ".join(f"{g['name']} ({g['arch']})" for g in guests)
    label = " + ".join(sorted(arches))
    return {
        "args": {"hosts": hosts, "guests": guests},
        "kinds": sorted(kinds),
        "title": {"en": f"{label} pool: {names}", "zh": f"{label} 资源池：{names}"},
    }


PRACTICE = [
    _case([_host("x1", X86)], [_guest("web", X86)]),
    _case([_host("x1", X86), _host("x2", X86)], [_guest("web", X86), _guest("ci-arm", ARM)]),
    _case([_host("x1", X86), _host("a1", ARM)], [_guest("edge", ARM), _guest("db", X86)]),
    _case([_host("x1", X86, cores=4)], [_guest("big", X86, vcpus=8), _guest("app", X86)]),
]


def hidden(rng):
    cases = []
    for i in range(6):
        mixed = i % 2 == 1
        hosts = [
            _host(f"x{k}", X86, cores=rng.choice((4, 8))) for k in range(1, rng.randint(1, 3) + 1)
        ]
        if mixed:
            hosts.insert(rng.randrange(len(hosts) + 1), _host("a1", ARM, cores=rng.choice((4, 8))))
        guests = []
        for k in range(rng.randint(2, 4)):
            arch = rng.choice((X86, ARM))
            vcpus = rng.choice((1, 2, 16)) if k == 0 else rng.choice((1, 2))
            guests.append(_guest(f"vm{k}", arch, vcpus=vcpus))
        cases.append(_case(hosts, guests))
    return cases
