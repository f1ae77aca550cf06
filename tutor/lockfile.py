"""Adds a pure-Python wheel to a Pyodide lock file, where pyodide-build cannot run.

pyodide-build (``pyodide lockfile add-wheels``) needs Python ≥ 3.12; Debian 12 has 3.11. The
browser loads our wheel through the lock file and enforces its sha256 there, so the entry must
be right or the site has no Python: this writes the same entry pyodide-lock 0.2 would (same
fields and defaults, same top-level import rule, same ``sort_keys`` JSON), for the only kind of
wheel we build — pure Python with no dependencies — and refuses any other kind.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import zipfile
from email.parser import Parser
from pathlib import Path, PurePosixPath
from typing import Any

# pyodide-lock's PackageSpec and InfoSpec fields with their defaults, in declaration order.
PACKAGE_DEFAULTS: dict[str, Any] = {
    "install_dir": "site",
    "sha256": "",
    "package_type": "package",
    "imports": [],
    "depends": [],
    "unvendored_tests": False,
    "tool": {},
}
INFO_DEFAULTS: dict[str, Any] = {"arch": "wasm32", "abi_version": None}


class LockfileError(RuntimeError):
    pass


def add_wheel(lock_in: Path, wheel: Path, lock_out: Path) -> dict[str, Any]:
    """Writes ``lock_in`` plus ``wheel`` to ``lock_out``; the wheel's name is stored relative
    to ``lock_out``'s folder, where Pyodide will look for it. Returns the new entry."""
    lock = json.loads(lock_in.read_text())
    entry = entry_for(wheel, wheel.resolve().relative_to(lock_out.resolve().parent).as_posix())
    packages = {name: _package(spec) for name, spec in lock["packages"].items()}
    packages[entry["name"]] = entry
    normalised = {"info": _info(lock["info"]), "packages": packages, "tool": lock.get("tool", {})}
    lock_out.write_text(json.dumps(normalised, sort_keys=True))
    return entry


def entry_for(wheel: Path, file_name: str) -> dict[str, Any]:
    _check_pure(wheel.name)
    with zipfile.ZipFile(wheel) as archive:
        metadata = _metadata(archive)
        imports = top_level_imports(archive.namelist())
    if metadata.get_all("Requires-Dist"):
        raise LockfileError(
            f"{wheel.name} has dependencies; resolving them needs pyodide-build (Python ≥ 3.12)"
        )
    return _package(
        {
            "name": canonical_name(str(metadata["Name"])),
            "version": str(metadata["Version"]),
            "file_name": file_name,
            "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
            "imports": imports,
        }
    )


def canonical_name(name: str) -> str:
    """PEP 503 normalisation, as packaging's ``canonicalize_name``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def top_level_imports(names: list[str]) -> list[str]:
    """setuptools' discovery rule, as pyodide-lock applies it: a top-level ``.py`` file, or a
    top-level folder with a valid package name holding a ``.py`` file (through valid folders)."""
    modules = [n[:-3] for n in names if "/" not in n and n.endswith(".py")]
    folders: dict[str, bool] = {}
    for name in names:
        parts = PurePosixPath(name).parts
        if len(parts) < 2:
            continue
        folders.setdefault(parts[0], False)
        inner = parts[:-1]
        if all(_valid_package(p) for p in inner) and name.endswith(".py"):
            folders[parts[0]] = True
    return modules + [folder for folder, has_python in folders.items() if has_python]


def _valid_package(name: str) -> bool:
    return not any(c in name for c in ".- ")


def _check_pure(file_name: str) -> None:
    match = re.fullmatch(r"[^-]+-[^-]+(?:-\d[^-]*)?-([^-]+)-([^-]+)-([^-]+)\.whl", file_name)
    if match is None:
        raise LockfileError(f"{file_name} is not a wheel file name")
    interpreters, abi, platform = match.groups()
    if abi != "none" or platform != "any" or not interpreters.startswith("py3"):
        raise LockfileError(f"{file_name} is not a pure-Python wheel; use pyodide-build for it")


def _metadata(archive: zipfile.ZipFile) -> Any:
    found = [n for n in archive.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
    if len(found) != 1:
        raise LockfileError("a wheel has exactly one .dist-info/METADATA")
    return Parser().parsestr(archive.read(found[0]).decode())


def _package(spec: dict[str, Any]) -> dict[str, Any]:
    known = ("name", "version", "file_name", *PACKAGE_DEFAULTS)
    return {key: copy.deepcopy(spec.get(key, PACKAGE_DEFAULTS.get(key))) for key in known}


def _info(info: dict[str, Any]) -> dict[str, Any]:
    # pyodide-lock drops the deprecated "version" and writes every other field.
    return {
        "platform": info["platform"],
        "python": info["python"],
        **{key: info.get(key, default) for key, default in INFO_DEFAULTS.items()},
    }
