"""`python -m tutor.assets` unpacks npm tarballs safely on every Python ≥ 3.11.0.

Debian 12's Python 3.11.2 has no ``filter=`` for ``extractall`` (it came in 3.11.4): the
``old`` runs below take ``data_filter`` away and make ``extractall`` reject ``filter=`` as 3.11.2
does, so they exercise exactly the path a stock Debian takes; ``native`` runs what this Python
has. Both must install a good archive and refuse the same bad ones, naming the bad member.
"""

from __future__ import annotations

import io
import re
import stat
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tutor import assets

Member = tuple[str, bytes | str | None, dict[str, Any]]


def tarball(path: Path, members: list[Member]) -> Path:
    """``(name, content, fields)``: bytes make a file, a str makes a symlink to it, None a dir."""
    with tarfile.open(path, "w:gz") as tar:
        for name, content, fields in members:
            info = tarfile.TarInfo(name)
            data = None
            if content is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
            elif isinstance(content, str):
                info.type, info.linkname = tarfile.SYMTYPE, content
            else:
                info.size, info.mode, data = len(content), 0o644, io.BytesIO(content)
            for key, value in fields.items():
                setattr(info, key, value)
            tar.addfile(info, data)
    return path


@pytest.fixture(params=["native", "old"])
def tarfile_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "old":
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
        original: Callable[..., None] = tarfile.TarFile.extractall

        def extractall_3_11_2(self: tarfile.TarFile, *args: Any, **kwargs: Any) -> None:
            if "filter" in kwargs:
                raise TypeError("TarFile.extractall() got an unexpected keyword argument 'filter'")
            original(self, *args, **kwargs)

        monkeypatch.setattr(tarfile.TarFile, "extractall", extractall_3_11_2)
    yield request.param


def test_a_good_archive_is_installed_with_data_modes(tmp_path: Path, tarfile_kind: str) -> None:
    archive = tarball(
        tmp_path / "good.tgz",
        [
            ("package", None, {}),
            ("package/package.json", b'{"name": "x"}', {}),
            ("package/dist/x.min.js", b"console.log(1)", {"mode": 0o6777}),
            ("package/bin/run", b"#!/bin/sh\n", {"mode": 0o755}),
            ("package/dist/latest.js", "x.min.js", {}),
            ("package/dist/up.json", "../package.json", {}),
        ],
    )
    target = tmp_path / "out"
    assets.unpack(archive, target)
    assert (target / "package/package.json").read_bytes() == b'{"name": "x"}'
    assert (target / "package/dist/latest.js").read_bytes() == b"console.log(1)"
    assert (target / "package/dist/up.json").read_bytes() == b'{"name": "x"}'
    setuid_file = (target / "package/dist/x.min.js").stat().st_mode
    assert stat.S_IMODE(setuid_file) == 0o755  # no setuid/setgid/sticky, no group/other write
    assert stat.S_IMODE((target / "package/bin/run").stat().st_mode) == 0o755
    assert stat.S_IMODE((target / "package/package.json").stat().st_mode) == 0o644


BAD_ARCHIVES: dict[str, tuple[list[Member], str]] = {
    "dot-dot": ([("../escaped.js", b"x", {})], "../escaped.js"),
    "dot-dot deep": ([("package/../../escaped.js", b"x", {})], "package/../../escaped.js"),
    "absolute": ([("/tmp/virttutor-absolute.js", b"x", {})], "/tmp/virttutor-absolute.js"),
    "symlink out": ([("package/link", "../../outside", {})], "package/link"),
    "absolute symlink": ([("package/passwd", "/etc/passwd", {})], "package/passwd"),
    "symlink chain out": (
        # On paper every link stays inside; on disk `top` is the target, so `top/..` is not.
        [("package/here", ".", {}), ("package/top", "here/..", {}), ("out", "package/top/..", {})],
        "out",
    ),
    "hard link out": (
        [("package/h", b"", {"type": tarfile.LNKTYPE, "linkname": "../secret", "size": 0})],
        "package/h",
    ),
    "character device": (
        [("package/tty", b"", {"type": tarfile.CHRTYPE, "devmajor": 5, "size": 0})],
        "package/tty",
    ),
    "fifo": ([("package/pipe", b"", {"type": tarfile.FIFOTYPE, "size": 0})], "package/pipe"),
}


@pytest.mark.parametrize("case", sorted(BAD_ARCHIVES))
def test_a_bad_archive_is_refused_naming_the_member(
    tmp_path: Path, tarfile_kind: str, case: str
) -> None:
    members, bad_member = BAD_ARCHIVES[case]
    work = tmp_path / "work"
    work.mkdir()
    archive = tarball(work / "bad.tgz", [("package/ok.js", b"fine", {}), *members])
    target = work / "deep" / "out"
    with pytest.raises(assets.UnsafeArchive) as refused:
        assets.unpack(archive, target)
    assert refused.value.member == bad_member
    assert f"refusing bad.tgz: member {bad_member!r}" in str(refused.value)
    outside = [
        p.relative_to(work).as_posix()
        for p in work.rglob("*")
        if not p.is_dir() and not p.is_relative_to(target) and p != archive
    ]
    assert outside == []
    assert not Path("/tmp/virttutor-absolute.js").exists()


def test_fetch_refuses_a_pinned_tarball_with_a_bad_member_before_installing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tarfile_kind: str
) -> None:
    """The whole `python -m tutor.assets` path: integrity matches, the content is still refused,
    and the vendor folder is left untouched."""
    import base64
    import hashlib
    import json
    import subprocess

    archive = tarball(
        tmp_path / "evil-1.0.0.tgz",
        [("package/ok.js", b"fine", {}), ("package/../../pwned.js", b"x", {})],
    )
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(archive.read_bytes()).digest()).decode()

    def npm_pack(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        destination = Path(command[command.index("--pack-destination") + 1])
        (destination / archive.name).write_bytes(archive.read_bytes())
        return subprocess.CompletedProcess(command, 0, json.dumps([{"filename": archive.name}]))

    monkeypatch.setattr(assets, "VENDOR", tmp_path / "vendor")
    monkeypatch.setattr(assets.subprocess, "run", npm_pack)
    pin = assets.Asset("evil", "1.0.0", integrity, ("ok.js",), {})
    with pytest.raises(assets.UnsafeArchive, match=re.escape("'package/../../pwned.js'")):
        assets.fetch(pin)
    assert not (tmp_path / "vendor").exists()
