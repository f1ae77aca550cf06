"""Builds what the browser's Python loads: a wheel of ``tutor.sim`` and the grading harness.

Only the pure half of ``tutor`` goes in (no Flask, no judge, no runner), so the same model and
harness the server uses run in Pyodide. The wheel is byte-compiled for Pyodide's Python with
pyodide-build (``py-compile``) and added to a copy of Pyodide's lock file (``lockfile
add-wheels``); Pyodide then checks the wheel's sha256 from that lock file when it loads it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .assets import pinned
from .pure import PURE_SOURCES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "virttutor-core"
LOCK_NAME = "virttutor-lock.json"
MANIFEST_NAME = "virttutor-bundle.json"


@dataclass(frozen=True)
class Bundle:
    wheel: Path
    sha256: str
    lock: Path


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


def current() -> Bundle | None:
    manifest = output_dir() / MANIFEST_NAME
    if not manifest.exists():
        return None
    data = json.loads(manifest.read_text())
    wheel = output_dir() / data["wheel"]
    if data.get("sources") != source_digest() or not wheel.exists():
        return None
    return Bundle(wheel, data["sha256"], output_dir() / LOCK_NAME)


def build(pyodide_venv: Path) -> Bundle:
    existing = current()
    if existing is not None:
        return existing
    out = output_dir()
    pyodide_cli = pyodide_venv.resolve() / "bin" / "pyodide"
    with tempfile.TemporaryDirectory() as tmp:
        staging, dist = Path(tmp) / "src", Path(tmp) / "dist"
        for path in source_files():
            target = staging / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        (staging / "pyproject.toml").write_text(_pyproject())
        _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(dist)], staging)
        (wheel,) = dist.glob("*.whl")
        lock = dist / "pyodide-lock.json"
        _run(
            [
                str(pyodide_cli),
                "lockfile",
                "add-wheels",
                "--input",
                str(out / "pyodide-lock.json"),
                "--output",
                str(lock),
                "--base-path",
                str(dist),
                str(wheel),
            ],
            dist,
        )
        # Byte-compiles the wheel for Pyodide's Python and rewrites the lock's name and sha256.
        _run([str(pyodide_cli), "py-compile", "--silent", str(dist)], dist)
        (wheel,) = dist.glob("*.whl")
        for old in out.glob("virttutor_core-*.whl"):
            old.unlink()
        final = out / wheel.name
        shutil.copyfile(wheel, final)
        shutil.copyfile(lock, out / LOCK_NAME)
    sha256 = hashlib.sha256(final.read_bytes()).hexdigest()
    (out / MANIFEST_NAME).write_text(
        json.dumps(
            {"package": PACKAGE, "wheel": final.name, "sha256": sha256, "sources": source_digest()}
        )
    )
    return Bundle(final, sha256, out / LOCK_NAME)


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


if __name__ == "__main__":
    venv = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".venv-pyodide"
    bundle = build(venv)
    print(f"bundle {bundle.wheel.name} sha256 {bundle.sha256}")
