"""Lesson 1's animation data: one host sliced into isolated VMs, from real ``SlicedHost`` runs.

Three scenes, each a complete run from an empty host so it can be watched on its own: the
hypervisor carves three guests and refuses a fourth (capacity is physical); two guests write the
same page and each reads back only its own, and a write past the end of a slice is refused
(isolation); a guest is saved as its files and restarted (a VM at rest is a set of files; memory
is lost on power-off, the disk is kept).
"""

from __future__ import annotations

import contextlib
from typing import Any

from tutor.sim import (
    SCHEMA_VERSION,
    CapacityExceeded,
    Disk,
    Host,
    IsolationViolation,
    Nic,
    SlicedHost,
)

HYPERVISOR_PAGES = 8


def _host() -> SlicedHost:
    """A host small enough to draw every page and block: 8 cores, 64 pages, 48 blocks."""
    host = Host(
        "host-1", cores=8, memory_pages=64, disks=(Disk("sda", 48),), nics=(Nic("eth0", 1000),)
    )
    return SlicedHost(host, hypervisor_pages=HYPERVISOR_PAGES)


def _carve() -> list[dict[str, Any]]:
    host = _host()
    host.carve("web", 2, 16, 16, 400)
    host.carve("db", 4, 24, 20, 400)
    host.carve("mail", 1, 8, 8, 100)
    with contextlib.suppress(CapacityExceeded):
        host.carve("big", 1, 16, 4, 100)  # 8 pages are left: refused
    host.check()
    return host.trace.events


def _isolation() -> list[dict[str, Any]]:
    host = _host()
    host.carve("web", 2, 16, 16, 400)
    host.carve("db", 4, 24, 20, 400)
    host.write("web", "memory", 2, 7)
    host.write("db", "memory", 2, 9)
    host.read("web", "memory", 2)
    host.read("db", "memory", 2)
    host.write("web", "disk", 0, 42)
    host.read("db", "disk", 0)
    with contextlib.suppress(IsolationViolation):
        host.write("web", "memory", 16, 66)  # one past web's last page: db's first, if allowed
    host.read("db", "memory", 0)
    host.check()
    return host.trace.events


def _files() -> list[dict[str, Any]]:
    host = _host()
    host.carve("web", 2, 16, 16, 400)
    host.write("web", "memory", 1, 11)
    host.write("web", "disk", 3, 33)
    host.save("web")
    host.restart("web")
    host.read("web", "memory", 1)
    host.read("web", "disk", 3)
    host.check()
    return host.trace.events


def machine_slices() -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "default": "carve",
        "scenes": [
            {"id": "carve", "kind": "carve", "events": _carve()},
            {"id": "isolation", "kind": "isolation", "events": _isolation()},
            {"id": "files", "kind": "files", "events": _files()},
        ],
    }
