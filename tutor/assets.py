"""Pinned front-end assets: fetched once at set-up from the npm registry, never at page view.

The pins live in ``static/assets.json``. ``npm pack`` reports each tarball's integrity, which must
equal the pin before anything is unpacked; the SRI hash of every served file is then computed from
the local copy, so a CDN can only serve the very bytes we verified.

Unpacking must be safe on every Python the project supports (3.11.0 and later), but tarfile's
``filter="data"`` only exists from 3.11.4 (Debian 12 ships 3.11.2). So every member is checked
here first, whatever the Python, and the archive is refused naming the first bad member; where
tarfile has its own data filter it then extracts as a second line of defence, and where it has
none the members are written by hand with the same rules (see :func:`unpack`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import platform
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .stdlib_core import CORE, REST_INDEX, top_level

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
PINS = STATIC / "assets.json"
VENDOR = STATIC / "vendor"
# Test and build tools (axe-core, esbuild): pinned like the rest, but never served to learners.
TOOLS = ROOT / "build" / "tools"
ESBUILD = "@esbuild/{}"
# The site's own scripts, minified at set-up (never committed, never edited by hand): each copy is
# named by the sha256 of the source bytes it was made from, so a copy of an older version of a file
# is never served for the current one (tutor/web/static_delivery.py serves them).
SITE_JS = STATIC / "js"
MINIFIED_JS = ROOT / "build" / "minified-js"
# Pyodide's standard library, split in two (tutor/stdlib_core.py): the core, sent for
# python_stdlib.zip, and the rest, which the worker fetches by STDLIB_REST when a program first
# imports one of its modules. Set-up writes both with their members stored, not deflated (a
# deflated archive does not compress in transit, a stored one does: brotli sends the core in
# 0.83 MB where Pyodide's whole deflated file is 2.4 MB), and both deflated, for the static copy
# (a host may compress nothing: 1.4 MB before Python starts). Each is named by the sha256 of the
# file it was made from; the site sends them in its place (tutor/web/static_delivery.py).
STORED_STDLIB = ROOT / "build" / "stored-stdlib"
STDLIB = "python_stdlib.zip"
STDLIB_REST = "python_stdlib_rest.zip"


class AssetError(RuntimeError):
    pass


class UnsafeArchive(AssetError):
    """A tarball member that would land outside the target, or is not plain data."""

    def __init__(self, archive: str, member: str, reason: str) -> None:
        super().__init__(
            f"refusing {archive}: member {member!r} {reason}; the archive was not used"
        )
        self.member = member


@dataclass(frozen=True)
class Asset:
    package: str
    version: str
    integrity: str
    files: tuple[str, ...]
    cdn: dict[str, str]
    minify: tuple[str, ...] = ()
    tool: bool = False
    platform: str | None = None

    @property
    def folder(self) -> Path:
        name = f"{self.package.replace('.', '-').replace('/', '+')}-{self.version}"
        return (TOOLS if self.tool else VENDOR) / name

    def installed(self) -> bool:
        return all((self.folder / f).is_file() for f in (*self.files, *self.minified()))

    def minified(self) -> tuple[str, ...]:
        """The served names of the files esbuild minifies at set-up (``x.js`` -> ``x.min.js``)."""
        return tuple(str(PurePosixPath(f).with_suffix(".min.js")) for f in self.minify)

    def wanted_here(self) -> bool:
        return self.platform is None or self.platform == machine_platform()


def pinned() -> dict[str, Asset]:
    raw = json.loads(PINS.read_text())
    return {
        name: Asset(
            name,
            pin["version"],
            pin["integrity"],
            tuple(pin["files"]),
            pin.get("cdn", {}),
            tuple(pin.get("minify", ())),
            bool(pin.get("tool", False)),
            pin.get("platform"),
        )
        for name, pin in raw.items()
        if not name.startswith("_")
    }


def d3_modules(pins: dict[str, Asset]) -> list[Asset]:
    """The d3 modules the site loads: the ``d3-*`` pins, in the file's (dependency) order, each
    extending ``window.d3`` with what the ones before it defined."""
    return [asset for name, asset in pins.items() if name.startswith("d3-")]


def machine_platform() -> str:
    """npm's name for this machine (esbuild ships one native package per platform)."""
    system = platform.system().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64"}.get(
        platform.machine().lower(), platform.machine().lower()
    )
    return f"{system}-{arch}"


def esbuild() -> Path:
    """The pinned esbuild binary for this machine, fetched if missing; a clear error where none
    is pinned (add the matching ``@esbuild/<platform>`` entry to static/assets.json)."""
    name = ESBUILD.format(machine_platform())
    asset = pinned().get(name)
    if asset is None:
        raise AssetError(
            f"no esbuild is pinned for this machine ({machine_platform()}): add {name} "
            "with its integrity to static/assets.json"
        )
    if not asset.installed():
        fetch(asset)
    binary = asset.folder / "bin" / "esbuild"
    binary.chmod(0o755)
    return binary


def minify(asset: Asset) -> None:
    """Writes ``x.min.js`` beside each file of ``asset.minify``: what learners download (the
    readable file stays for debugging). Comments that must be kept (licences) stay."""
    tool = esbuild()
    for source, target in zip(asset.minify, asset.minified(), strict=True):
        subprocess.run(
            [
                str(tool),
                str(asset.folder / source),
                "--minify",
                "--legal-comments=inline",
                "--log-level=warning",
                f"--outfile={asset.folder / target}",
            ],
            check=True,
        )


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def minified_js_name(digest: str) -> str:
    """The minified copy's file name for a source whose sha256 is ``digest``."""
    return f"{digest}.js"


def minify_site_js(sources: Path = SITE_JS, target: Path = MINIFIED_JS) -> int:
    """Minifies every script under ``sources`` whose copy is missing, in one esbuild run, each
    file on its own (no bundling: the ES modules keep their imports, ``import.meta.url`` and
    dynamic ``import()`` by relative path, so the served import graph is the source's), and
    removes copies no current source was made from. Returns how many files were minified."""
    wanted = {path: minified_js_name(source_digest(path)) for path in sorted(sources.rglob("*.js"))}
    target.mkdir(parents=True, exist_ok=True)
    missing = [path for path, name in wanted.items() if not (target / name).is_file()]
    if missing:
        with tempfile.TemporaryDirectory(dir=target) as tmp:
            subprocess.run(
                [
                    str(esbuild()),
                    *(str(path) for path in missing),
                    "--minify",
                    "--legal-comments=inline",
                    "--log-level=warning",
                    f"--outbase={sources}",
                    f"--outdir={tmp}",
                ],
                check=True,
            )
            for path in missing:
                built = Path(tmp) / path.relative_to(sources)
                os.replace(built, target / wanted[path])  # whole or absent, never half written
    keep = set(wanted.values())
    for old in target.glob("*.js"):
        if old.name not in keep:
            old.unlink()
    return len(missing)


def store_uncompressed(source: Path, target: Path | None = None) -> None:
    """Writes the ZIP ``source`` again (to ``target``, else in place) with every member stored:
    same names, order, dates and modes. The whole file then compresses well in transit, and
    Python reads each member without inflating it."""
    with zipfile.ZipFile(source) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(target or source, "w", zipfile.ZIP_STORED) as archive:
        for info, data in members:
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, data)


def stored_stdlib_names(digest: str) -> tuple[str, str, str, str]:
    """The split copies' file names for a standard library whose sha256 is ``digest``: the
    core and the rest with their members stored (to be compressed in transit), then the same
    two with their members deflated (for a static host that may compress nothing)."""
    return (
        f"{digest}-core.zip",
        f"{digest}-rest.zip",
        f"{digest}-core-deflated.zip",
        f"{digest}-rest-deflated.zip",
    )


def split_stdlib(source: Path, core: Path, rest: Path, compression: int) -> None:
    """Writes the members of ``source`` in two ZIPs, each member compressed with
    ``compression`` (``zipfile.ZIP_STORED`` or ``ZIP_DEFLATED``): those of the modules
    ``stdlib_core.CORE`` names to ``core``, with an index of the others' top-level names
    (``REST_INDEX``, read by the Python worker), and the others to ``rest``."""
    with zipfile.ZipFile(source) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    later = sorted({top_level(i.filename) for i, _ in members} - CORE)
    with (
        zipfile.ZipFile(core, "w", compression, compresslevel=9) as first,
        zipfile.ZipFile(rest, "w", compression, compresslevel=9) as second,
    ):
        for info, data in members:
            info.compress_type = compression
            (second if top_level(info.filename) in later else first).writestr(info, data)
        first.writestr(REST_INDEX, json.dumps({"modules": later}))


def store_stdlib(target: Path = STORED_STDLIB) -> bool:
    """Writes the stored copies of Pyodide's standard library, unless they are there already,
    and removes copies of other versions. Returns whether it wrote them."""
    source = pinned()["pyodide"].folder / STDLIB
    if not source.is_file():
        return False
    names = stored_stdlib_names(source_digest(source))
    if all((target / name).is_file() for name in names):
        return False
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target) as tmp:
        stored_core, stored_rest, deflated_core, deflated_rest = (Path(tmp) / n for n in names)
        split_stdlib(source, stored_core, stored_rest, zipfile.ZIP_STORED)
        split_stdlib(source, deflated_core, deflated_rest, zipfile.ZIP_DEFLATED)
        for name in names:  # each whole or absent, never half written
            os.replace(Path(tmp) / name, target / name)
    for old in target.glob("*.zip"):
        if old.name not in names:
            old.unlink()
    return True


def fetch(asset: Asset) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [
                "npm",
                "pack",
                f"{asset.package}@{asset.version}",
                "--json",
                "--pack-destination",
                tmp,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        tarball = Path(tmp) / json.loads(out)[0]["filename"]
        digest = (
            "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        )
        if digest != asset.integrity:
            raise AssetError(f"{asset.package}@{asset.version}: integrity {digest} != pinned")
        staging = Path(tmp) / "unpacked"
        unpack(tarball, staging)
        if asset.folder.exists():
            shutil.rmtree(asset.folder)
        for name in asset.files:
            target = asset.folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staging / "package" / name, target)
            shutil.copymode(staging / "package" / name, target)
    if asset.minify:
        minify(asset)


def unpack(tarball: Path, target: Path) -> None:
    """Extracts ``tarball`` into ``target`` or refuses it, the same way on every Python.

    The rules are those of tarfile's ``data`` filter, except that absolute names are refused
    rather than made relative: no absolute path, no ``..``, no link leaving ``target``, no device
    or FIFO, and modes without setuid/setgid/sticky or group/other write.
    """
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball) as tar:
        members = tar.getmembers()
        for member in members:
            _check_name_and_type(tarball.name, member)
        if hasattr(tarfile, "data_filter"):
            try:
                tar.extractall(target, filter="data")
            except tarfile.FilterError as error:
                bad = error.tarinfo.name if error.tarinfo is not None else "?"
                raise UnsafeArchive(tarball.name, bad, str(error)) from error
        else:
            _write_members(tarball.name, tar, members, target)


def _check_name_and_type(archive: str, member: tarfile.TarInfo) -> None:
    """Checks that need no file system, so a bad archive is refused before anything is written."""
    for name, what in ((member.name, "path"), *_link_names(member)):
        if not name or os.path.isabs(name):
            raise UnsafeArchive(archive, member.name, f"has an absolute {what} ({name!r})")
        if ".." in PurePosixPath(name).parts:
            raise UnsafeArchive(archive, member.name, f"climbs out with '..' in its {what}")
    if member.issym():
        inside = os.path.normpath(os.path.join(os.path.dirname(member.name), member.linkname))
        if inside == ".." or inside.startswith("../") or os.path.isabs(inside):
            raise UnsafeArchive(archive, member.name, "is a link pointing outside the target")
    if not (member.isreg() or member.isdir() or member.issym() or member.islnk()):
        raise UnsafeArchive(archive, member.name, "is a device, FIFO or other special file")


def _link_names(member: tarfile.TarInfo) -> list[tuple[str, str]]:
    # A symlink's target is relative to its own folder and may use '..' inside the archive; a
    # hard link's target is an archive path. Both are checked again on disk while writing.
    if member.islnk():
        return [(member.linkname, "link target")]
    if member.issym() and os.path.isabs(member.linkname):
        return [(member.linkname, "link target")]
    return []


def _write_members(
    archive: str, tar: tarfile.TarFile, members: list[tarfile.TarInfo], target: Path
) -> None:
    """What ``filter="data"`` does, for a tarfile without it: every path is re-checked against
    the real file system (a link written earlier must not redirect a later member outside)."""
    root = os.path.realpath(target)

    def inside(path: str) -> bool:
        return os.path.commonpath([root, os.path.realpath(path)]) == root

    for member in members:
        path = os.path.join(root, member.name)
        if not inside(os.path.dirname(path)) or not inside(path):
            raise UnsafeArchive(archive, member.name, "would be written outside the target")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.lexists(path) and not os.path.isdir(path):
            os.unlink(path)  # a later member of the same name replaces it, as tarfile does
        if member.isdir():
            os.makedirs(path, exist_ok=True)
        elif member.issym():
            if not inside(os.path.join(os.path.dirname(path), member.linkname)):
                raise UnsafeArchive(archive, member.name, "is a link pointing outside the target")
            os.symlink(member.linkname, path)
        elif member.islnk():
            source = os.path.join(root, member.linkname)
            if not inside(source) or not os.path.isfile(source):
                raise UnsafeArchive(archive, member.name, "is a hard link to nothing inside")
            shutil.copyfile(source, path)
            os.chmod(path, _data_mode(member.mode))
        else:
            data = tar.extractfile(member)
            assert data is not None  # a regular file always has data
            with data, open(path, "wb") as out:
                shutil.copyfileobj(data, out)
            os.chmod(path, _data_mode(member.mode))


def _data_mode(mode: int) -> int:
    """The ``data`` filter's mode: no setuid/setgid/sticky, no group/other write, owner rw,
    executable only if the owner could execute it."""
    mode &= 0o755
    if not mode & 0o100:
        mode &= ~0o111
    return mode | 0o600


def fetch_missing() -> list[str]:
    fetched = []
    for asset in pinned().values():
        if asset.wanted_here() and not asset.installed():
            fetch(asset)
            fetched.append(f"{asset.package}@{asset.version}")
    return fetched


def sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


if __name__ == "__main__":
    done = fetch_missing()
    print("fetched " + ", ".join(done) if done else "assets up to date")
    count = minify_site_js()
    print(
        f"minified {count} of the site's scripts into {MINIFIED_JS}"
        if count
        else "site scripts up to date"
    )
    if store_stdlib():
        print(f"split Pyodide's standard library (stored and deflated) into {STORED_STDLIB}")
