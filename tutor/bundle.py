"""Builds what the browser's Python loads: a wheel of ``tutor.sim`` and the grading harness.

Only the pure half of ``tutor`` goes in (no Flask, no judge, no runner), so the same model and
harness the server uses run in Pyodide. The wheel is added to a copy of Pyodide's lock file
(``virttutor-lock.json``), whose sha256 the browser enforces when it loads the wheel.

With a Python of Pyodide's own minor version, pyodide-build adds the wheel (``lockfile
add-wheels``) and byte-compiles it (``py-compile``). A stock machine may have no such Python
(:mod:`tutor.toolchain` looks for one and tries to get one): then the wheel ships as plain source,
which Pyodide loads all the same, compiling each module on first import; the lock entry comes
from pyodide-build where a Python ≥ 3.12 runs it, else from :mod:`tutor.lockfile`. The build says
so in one line, and a later build with the right Python replaces the source-only bundle.

The wheel's members are stored, not deflated (``store_uncompressed``): the server compresses the
whole file for the browser (#15), and brotli shrinks a stored wheel to about a third, where a
deflated one gained 1.5 % and went as it was. A static host that compresses nothing sends it
whole (≈ 630 KB rather than ≈ 320 KB, once: the service worker keeps it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import lockfile, toolchain
from .assets import pinned, store_uncompressed
from .pure import PURE_SOURCES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "virttutor-core"
LOCK_NAME = "virttutor-lock.json"
MANIFEST_NAME = "virttutor-bundle.json"
PYODIDE_LOCK = "pyodide-lock.json"
TOOLS_VENV = ROOT / ".venv-pyodide"
# Loading the wheel and importing the harness in Pyodide under Node, CPU time, median of 5:
# 0.84 s from source, 0.59 s with bytecode (README, "Stock machines").
SOURCE_ONLY_COST = "about 0.25 s more each time Python starts in a page"
# Bumped when the way a bundle is built changes what it holds: an older bundle is built again.
# 2: the wheel's members stored, not deflated.
BUNDLE_FORMAT = 2


@dataclass(frozen=True)
class Bundle:
    wheel: Path
    sha256: str
    lock: Path
    bytecode: bool
    # What a source-only build left out and why, or None for a byte-compiled bundle.
    skipped: str | None = None


def source_files() -> list[Path]:
    return sorted(p for pattern in PURE_SOURCES for p in ROOT.glob(pattern))


def source_digest() -> str:
    h = hashlib.sha256()
    for path in source_files():
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def output_dir() -> Path:
    """Beside Pyodide's own files, so the lock file's relative wheel name resolves there."""
    return pinned()["pyodide"].folder


def current(out: Path | None = None) -> Bundle | None:
    out = out or output_dir()
    manifest = out / MANIFEST_NAME
    if not manifest.exists():
        return None
    data = json.loads(manifest.read_text())
    wheel = out / data["wheel"]
    if (
        data.get("sources") != source_digest()
        or data.get("format") != BUNDLE_FORMAT
        or not wheel.exists()
    ):
        return None
    return Bundle(
        wheel, data["sha256"], out / LOCK_NAME, data.get("bytecode", True), data.get("skipped")
    )


def build(
    pyodide_venv: Path = TOOLS_VENV,
    out: Path | None = None,
    *,
    tools: toolchain.Toolchain | None = None,
    acquire: bool = True,
) -> Bundle:
    """The bundle for the current sources in ``out`` (Pyodide's folder by default), built if
    missing or stale, or if it lacks bytecode and a Python that can write it is now found.

    ``tools`` replaces discovery; ``acquire`` lets discovery download a Python (never in tests).
    """
    out = out or output_dir()
    existing = current(out)
    if existing is not None and existing.bytecode:
        return existing
    if tools is None:
        tools = toolchain.find(
            toolchain.pyodide_python(out / PYODIDE_LOCK),
            acquire=acquire and existing is None,
            tools_bin=Path(sys.executable).parent,
        )
    if existing is not None and not tools.compiles:
        return existing
    cli, why = None, tools.missing()
    if tools.python is not None and tools.locks:
        try:
            # Absolute: pyodide-build runs from a temporary directory, where a relative venv (as
            # `make bundle` passes it) would not be found on a fresh clone.
            cli = toolchain.pyodide_cli(tools.python, pyodide_venv.resolve())
        except toolchain.ToolsUnavailable as error:
            why = f"pyodide-build could not be installed with {tools.python.describe()}: {error}"
    bytecode = cli is not None and tools.compiles
    with tempfile.TemporaryDirectory() as tmp:
        staging, dist = Path(tmp) / "src", Path(tmp) / "dist"
        wheel = _wheel(staging, dist)
        lock = dist / PYODIDE_LOCK
        if cli is None:
            lockfile.add_wheel(out / PYODIDE_LOCK, wheel, lock)
        else:
            _run(
                [
                    str(cli),
                    "lockfile",
                    "add-wheels",
                    "--input",
                    str(out / PYODIDE_LOCK),
                    "--output",
                    str(lock),
                    "--base-path",
                    str(dist),
                    str(wheel),
                ],
                dist,
            )
        if bytecode:
            # Byte-compiles the wheel for Pyodide's Python and rewrites the lock's name and sha256.
            _run([str(cli), "py-compile", "--silent", str(dist)], dist)
            (wheel,) = dist.glob("*.whl")
        store_uncompressed(wheel)
        relock(lock, wheel)
        for old in out.glob("virttutor_core-*.whl"):
            old.unlink()
        final = out / wheel.name
        shutil.copyfile(wheel, final)
        shutil.copyfile(lock, out / LOCK_NAME)
    sha256 = hashlib.sha256(final.read_bytes()).hexdigest()
    locked_by = (
        f"pyodide-build on {tools.python.describe()}"
        if cli is not None and tools.python is not None
        else "tutor/lockfile.py, as pyodide-build would (no Python ≥ 3.12 to run it)"
    )
    skipped = None if bytecode else _skipped_line(why, locked_by, tools)
    (out / MANIFEST_NAME).write_text(
        json.dumps(
            {
                "package": PACKAGE,
                "wheel": final.name,
                "sha256": sha256,
                "sources": source_digest(),
                "format": BUNDLE_FORMAT,
                "bytecode": bytecode,
                "skipped": skipped,
            }
        )
    )
    return Bundle(final, sha256, out / LOCK_NAME, bytecode, skipped)


def relock(lock: Path, wheel: Path) -> None:
    """The lock file's entry for ``wheel`` given the sha256 of its bytes as they are now (the
    browser refuses a wheel whose sha256 is not its entry's)."""
    data = json.loads(lock.read_text())
    found = [
        spec
        for spec in data["packages"].values()
        if PurePosixPath(spec["file_name"]).name == wheel.name
    ]
    if len(found) != 1:
        raise RuntimeError(f"{lock} has {len(found)} entries for {wheel.name}, not one")
    found[0]["sha256"] = hashlib.sha256(wheel.read_bytes()).hexdigest()
    lock.write_text(json.dumps(data, sort_keys=True))


def _skipped_line(why: str, locked_by: str, tools: toolchain.Toolchain) -> str:
    wanted = "Python {}.{}".format(*tools.target)
    return (
        f"bundle without bytecode: {why}. The wheel ships as source, which Pyodide compiles on "
        f"first import ({SOURCE_ONLY_COST}); its lock entry is by {locked_by}. Set "
        f"PYODIDE_PYTHON to a {wanted} and run `make bundle` to precompile it."
    )


def _wheel(staging: Path, dist: Path) -> Path:
    for path in source_files():
        target = staging / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (staging / "pyproject.toml").write_text(_pyproject())
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(dist)], staging)
    (wheel,) = dist.glob("*.whl")
    return wheel


def _pyproject() -> str:
    return (
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n'
        f'[project]\nname = "{PACKAGE}"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
        '[tool.setuptools.packages.find]\ninclude = ["tutor*"]\n'
    )


def _run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tutor.bundle", description=__doc__)
    parser.add_argument("venv", nargs="?", type=Path, default=TOOLS_VENV, help="pyodide-build venv")
    parser.add_argument("--out", type=Path, help="folder with Pyodide's files (default: vendor)")
    parser.add_argument(
        "--offline",
        action="store_true",
        help="look only at PYODIDE_PYTHON, PATH and pyenv; download no Python and no uv",
    )
    args = parser.parse_args(argv)
    out = args.out or output_dir()
    tools = None
    if args.offline:
        tools = toolchain.find(toolchain.pyodide_python(out / PYODIDE_LOCK))
    bundle = build(args.venv, out, tools=tools)
    print(f"bundle {bundle.wheel.name} sha256 {bundle.sha256}")
    if bundle.skipped:
        print(bundle.skipped)


if __name__ == "__main__":
    main()
