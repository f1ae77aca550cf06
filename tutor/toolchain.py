"""Finds the Python that runs pyodide-build for the browser bundle, or says why there is none.

``pyodide py-compile`` writes bytecode for Pyodide's own Python, so it needs a host Python of the
same minor version (3.13 for Pyodide 0.29); ``pyodide lockfile add-wheels`` (pyodide-build 0.39)
needs Python 3.12 or later. Stock distributions often have neither: Debian 12 packages 3.11 only,
Ubuntu 24.04 3.12 only. So the search goes, in order: ``PYODIDE_PYTHON``, ``python3.13`` on
``PATH``, pyenv's versions, ``uv python find``; then, if allowed, ``uv python install`` (uv itself
from PyPI into the project venv). Failing that, a Python ≥ 3.12 still runs the lockfile step
without bytecode, and with none at all the bundle step writes the lock entry itself
(:mod:`tutor.lockfile`). Discovery reads only the environment it is given, so tests can hand it
a fake ``PATH`` and ``HOME``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# pyodide-build 0.39 needs Python >= 3.12 (its Requires-Python).
TOOLS_PYTHON = (3, 12)
TOOLS_REQUIREMENTS = ("pyodide-build==0.39.*", "pkginfo", "build")
# A failed download should cost seconds, not uv's default retries at 30 s each.
UV_INSTALL_TIMEOUT = 120
PROBE_TIMEOUT = 20

Version = tuple[int, int, int]


@dataclass(frozen=True)
class Interpreter:
    path: str
    version: Version
    found_by: str

    @property
    def minor(self) -> tuple[int, int]:
        return self.version[:2]

    def describe(self) -> str:
        return f"Python {'.'.join(map(str, self.version))} ({self.path}, from {self.found_by})"


@dataclass(frozen=True)
class Toolchain:
    """What the bundle step can do on this machine: ``python`` runs pyodide-build, if any."""

    target: tuple[int, int]
    python: Interpreter | None
    looked_at: tuple[str, ...] = field(default=())

    @property
    def compiles(self) -> bool:
        """Bytecode for Pyodide: only a host Python of Pyodide's own minor version can write it."""
        return self.python is not None and self.python.minor == self.target

    @property
    def locks(self) -> bool:
        return self.python is not None and self.python.minor >= TOOLS_PYTHON

    def missing(self) -> str:
        """Why there is no bytecode, for the one line the bundle step prints."""
        wanted = "Python {}.{}".format(*self.target)
        return f"no {wanted} found (looked at {', '.join(self.looked_at)})"


def pyodide_python(lock: Path) -> tuple[int, int]:
    """Pyodide's own Python version, as its pinned lock file states it."""
    major, minor = json.loads(lock.read_text())["info"]["python"].split(".")[:2]
    return int(major), int(minor)


def find(
    target: tuple[int, int],
    env: Mapping[str, str] | None = None,
    *,
    acquire: bool = False,
    tools_bin: Path | None = None,
) -> Toolchain:
    """The best Python for pyodide-build: Pyodide's minor version if at all possible, else
    one ≥ 3.12 for the lockfile step only, else none.

    ``acquire`` allows ``uv python install`` (and installing uv into ``tools_bin``, the project
    venv's ``bin``); it is the only step that downloads, and it fails in seconds offline.
    """
    env = dict(os.environ if env is None else env)
    search = _Search(env, tools_bin)
    wanted = f"{target[0]}.{target[1]}"
    for candidate in search.exact(target):
        if candidate.minor == target:
            return Toolchain(target, candidate, tuple(search.looked_at))
    if acquire:
        installed = search.uv_install(wanted)
        if installed is not None and installed.minor == target:
            return Toolchain(target, installed, tuple(search.looked_at))
    # What was looked at for Pyodide's version is what the "no bytecode" line reports.
    looked_at = tuple(search.looked_at)
    for candidate in search.for_tools(target):
        if candidate.minor >= TOOLS_PYTHON:
            return Toolchain(target, candidate, looked_at)
    return Toolchain(target, None, looked_at)


class _Search:
    """One discovery run: remembers what it looked at, so the message can say so."""

    def __init__(self, env: dict[str, str], tools_bin: Path | None) -> None:
        self.env = env
        self.path = env.get("PATH", "")
        self.tools_bin = tools_bin
        self.looked_at: list[str] = []
        self._seen: dict[str, Interpreter | None] = {}

    def exact(self, target: tuple[int, int]) -> Iterator[Interpreter]:
        """Candidates in the documented order; each is probed only when the previous failed."""
        wanted = f"{target[0]}.{target[1]}"
        yield from _present(self._chosen())
        yield from _present(self._on_path(f"python{wanted}"))
        yield from self._pyenv(wanted)
        yield from _present(self._uv_find(wanted))

    def for_tools(self, target: tuple[int, int]) -> Iterator[Interpreter]:
        """Any Python that can run pyodide-build, newest first, ``python3`` last."""
        yield from _present(self._chosen())
        for minor in range(target[1] - 1, TOOLS_PYTHON[1] - 1, -1):
            yield from _present(self._on_path(f"python3.{minor}"))
            yield from self._pyenv(f"3.{minor}")
        yield from _present(self._on_path("python3"))

    def _chosen(self) -> Interpreter | None:
        chosen = self.env.get("PYODIDE_PYTHON", "").strip()
        if not chosen:
            self._note("PYODIDE_PYTHON (unset)")
            return None
        path = chosen if os.sep in chosen else shutil.which(chosen, path=self.path)
        interpreter = self._probe(path, "PYODIDE_PYTHON") if path else None
        self._note(f"PYODIDE_PYTHON={chosen}" + ("" if interpreter else " (not a working Python)"))
        return interpreter

    def _on_path(self, name: str) -> Interpreter | None:
        self._note(f"{name} on PATH")
        path = shutil.which(name, path=self.path)
        return self._probe(path, "PATH") if path else None

    def _pyenv(self, minor: str) -> Iterator[Interpreter]:
        root = Path(
            self.env.get("PYENV_ROOT") or Path(self.env.get("HOME", "/nonexistent")) / ".pyenv"
        )
        self._note(f"pyenv {minor}.x")
        versions = root / "versions"
        if not versions.is_dir():
            return
        pattern = re.compile(rf"^{re.escape(minor)}\.(\d+)$")
        numbered = sorted(
            (int(m.group(1)), d) for d in versions.iterdir() if (m := pattern.match(d.name))
        )
        for _, folder in reversed(numbered):
            yield from _present(self._probe(str(folder / "bin" / f"python{minor}"), "pyenv"))

    def _uv(self) -> str | None:
        on_path = shutil.which("uv", path=self.path)
        if on_path:
            return on_path
        if self.tools_bin is not None and (self.tools_bin / "uv").exists():
            return str(self.tools_bin / "uv")
        return None

    def _uv_find(self, minor: str) -> Interpreter | None:
        uv = self._uv()
        self._note(f"uv python find {minor}" + ("" if uv else " (no uv)"))
        if uv is None:
            return None
        result = self._run(
            [uv, "python", "find", minor], PROBE_TIMEOUT, UV_PYTHON_DOWNLOADS="never"
        )
        if result is None or result.returncode != 0 or not result.stdout.strip():
            return None
        return self._probe(result.stdout.strip().splitlines()[-1], "uv")

    def uv_install(self, minor: str) -> Interpreter | None:
        uv = self._uv()
        if uv is None and self.tools_bin is not None:
            python = self.tools_bin / "python"
            result = self._run(
                [str(python), "-m", "pip", "install", "-q", "uv"], UV_INSTALL_TIMEOUT
            )
            if result is None or result.returncode != 0:
                self._note("pip install uv (failed)")
                return None
            self._note("uv from PyPI")
            uv = self._uv()
        if uv is None:
            return None
        result = self._run(
            [uv, "python", "install", minor],
            UV_INSTALL_TIMEOUT,
            UV_HTTP_TIMEOUT="15",
        )
        if result is None or result.returncode != 0:
            reason = _last_line(result.stderr if result is not None else "timed out")
            self._note(f"uv python install {minor} (failed: {reason})")
            return None
        return self._uv_find(minor)

    def _probe(self, path: str, found_by: str) -> Interpreter | None:
        """Runs the candidate: a pyenv shim or a broken link exists yet runs nothing."""
        if path in self._seen:
            return self._seen[path]
        script = "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable)"
        result = self._run([path, "-c", script], PROBE_TIMEOUT)
        interpreter = None
        if result is not None and result.returncode == 0:
            match = re.search(r"(\d+)\.(\d+)\.(\d+)", result.stdout)
            if match:
                version = (int(match[1]), int(match[2]), int(match[3]))
                # The real interpreter, not a pyenv shim whose choice depends on the folder.
                lines = result.stdout.strip().splitlines()
                real = lines[-1].strip() if len(lines) > 1 else ""
                interpreter = Interpreter(real if Path(real).is_file() else path, version, found_by)
        self._seen[path] = interpreter
        return interpreter

    def _run(
        self, command: list[str], timeout: float, **extra: str
    ) -> subprocess.CompletedProcess[str] | None:
        try:
            return subprocess.run(
                command,
                env={**self.env, **extra},
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None

    def _note(self, what: str) -> None:
        if what not in self.looked_at:
            self.looked_at.append(what)


def _present(interpreter: Interpreter | None) -> Iterator[Interpreter]:
    if interpreter is not None:
        yield interpreter


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


class ToolsUnavailable(RuntimeError):
    """pyodide-build could not be installed with the Python that was found."""


def pyodide_cli(python: Interpreter, venv: Path) -> Path:
    """The ``pyodide`` command from a venv of ``python`` with pyodide-build in it.

    The venv is reused while its Python has the same minor version; otherwise it is rebuilt.
    """
    cli = venv / "bin" / "pyodide"
    marker = venv / ".installed"
    if marker.exists() and cli.exists() and _venv_minor(venv) == python.minor:
        return cli
    if venv.exists():
        shutil.rmtree(venv)
    for command in (
        [python.path, "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *TOOLS_REQUIREMENTS],
    ):
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise ToolsUnavailable(f"{' '.join(command)}: {_last_line(result.stderr)}")
    marker.touch()
    return cli


def _venv_minor(venv: Path) -> tuple[int, int] | None:
    config = venv / "pyvenv.cfg"
    if not config.exists():
        return None
    match = re.search(r"^version(?:_info)?\s*=\s*(\d+)\.(\d+)", config.read_text(), re.M)
    return (int(match[1]), int(match[2])) if match else None


if __name__ == "__main__":
    from .bundle import output_dir

    found = find(pyodide_python(output_dir() / "pyodide-lock.json"))
    print(found.python.describe() if found.python else found.missing())
    sys.exit(0 if found.compiles else 1)
