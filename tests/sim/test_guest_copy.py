"""Copying a VM's files to another host (lesson 3): the copy opens there with the same state."""

from __future__ import annotations

import random

from tutor.sim import Guest, Trace, copy_files


def busy_guest(trace: Trace) -> Guest:
    guest = Guest("web", memory_pages=8, disk_blocks={"disk0": 16}, trace=trace)
    guest.start("host-a")
    guest.run(20, random.Random(3))
    return guest


def test_copied_files_open_on_the_target_with_the_saved_state_hash() -> None:
    trace = Trace()
    guest = busy_guest(trace)
    saved_hash = guest.state_hash()
    files = guest.save()
    copied = copy_files(files, "host-a", "host-b", trace)
    restored = Guest.restore(copied, trace=trace, host="host-b")
    assert restored.state_hash() == saved_hash
    assert (restored.state, restored.host) == ("running", "host-b")
    event = trace.of_kind("guest.copy")[0]
    assert event["files"] == ["web.vmx", "web-disk0.vmdk", "web.vmss"]
    assert (event["source"], event["host"]) == ("host-a", "host-b")
    assert event["blocks"] == len(files.disks["disk0"]) > 0
    assert event["pages"] == len(files.memory or {}) > 0
    kinds = [e["kind"] for e in trace.events]
    assert kinds.index("guest.save") < kinds.index("guest.copy") < kinds.index("guest.restore")


def test_the_copy_is_independent_of_the_original_files() -> None:
    trace = Trace()
    files = busy_guest(trace).save()
    copied = copy_files(files, "host-a", "host-b", trace)
    copied.disks["disk0"][0] = 12345
    assert copied.memory is not None
    copied.memory[0] = 999
    copied.config["vcpus"] = 8
    assert files.disks["disk0"].get(0) != 12345
    assert (files.memory or {}).get(0) != 999
    assert files.config["vcpus"] == 1


def test_a_powered_off_guest_is_copied_without_a_memory_file() -> None:
    trace = Trace()
    guest = busy_guest(trace)
    guest.stop()
    copied = copy_files(guest.files(), "host-a", "host-b", trace)
    assert trace.of_kind("guest.copy")[0]["files"] == ["web.vmx", "web-disk0.vmdk"]
    assert trace.of_kind("guest.copy")[0]["pages"] == 0
    assert Guest.restore(copied, host="host-b").state == "stopped"


def test_a_suspended_guest_s_files_hold_its_vmss_as_save_returned_them() -> None:
    """A suspended VM's folder holds the .vmss that save() wrote: files() after save() gives the
    same files save() returned, and they open running with the suspended state."""
    trace = Trace()
    guest = busy_guest(trace)
    saved_hash = guest.state_hash()
    returned = guest.save()
    assert guest.files() == returned
    assert guest.files().names() == ["web.vmx", "web-disk0.vmdk", "web.vmss"]
    copied = copy_files(guest.files(), "host-a", "host-b", trace)
    restored = Guest.restore(copied, trace=trace, host="host-b")
    assert (restored.state, restored.state_hash()) == ("running", saved_hash)
