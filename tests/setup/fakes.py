"""A fake machine for set-up tests: a ``PATH`` folder of stand-in commands and an empty home.

A fake Python answers the version probe with a fixed version (that is all discovery asks of
it); a fake ``uv`` answers ``python find`` / ``python install`` as a script says. Nothing here
may reach the real pyenv, uv or network, so every test states the machine it runs on.
"""

from __future__ import annotations

import shutil
from pathlib import Path


class FakeMachine:
    def __init__(self, root: Path) -> None:
        self.bin = root / "bin"
        self.home = root / "home"
        self.bin.mkdir(parents=True)
        self.home.mkdir()
        # Discovery needs nothing else; the bundle build itself runs by absolute paths.
        for tool in ("sh", "echo", "cat", "mkdir", "chmod", "touch"):
            real = shutil.which(tool)
            assert real is not None
            (self.bin / tool).symlink_to(real)

    @property
    def env(self) -> dict[str, str]:
        return {"PATH": str(self.bin), "HOME": str(self.home)}

    def python(self, version: str, name: str | None = None, folder: Path | None = None) -> Path:
        """A fake interpreter that reports ``version``; on PATH unless ``folder`` is given."""
        minor = ".".join(version.split(".")[:2])
        path = (folder or self.bin) / (name or f"python{minor}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"#!/bin/sh\necho {version}\n")
        path.chmod(0o755)
        return path

    def broken(self, name: str) -> Path:
        """What a pyenv shim does for a version that is not selected: exists, runs nothing."""
        path = self.bin / name
        path.write_text(f"#!/bin/sh\necho 'pyenv: {name}: command not found' >&2\nexit 127\n")
        path.chmod(0o755)
        return path

    def pyenv_python(self, version: str) -> Path:
        minor = ".".join(version.split(".")[:2])
        folder = self.home / ".pyenv" / "versions" / version / "bin"
        return self.python(version, f"python{minor}", folder)

    def uv(self, script: str) -> Path:
        """A fake uv; ``script`` is the body of a shell ``case "$1 $2" in ... esac``."""
        path = self.bin / "uv"
        path.write_text(f'#!/bin/sh\ncase "$1 $2" in\n{script}\nesac\nexit 2\n')
        path.chmod(0o755)
        return path
