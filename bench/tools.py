"""What a bench needs from the machine, checked before it starts or measures anything: ``make
bench`` fails loudly, not silently, when a tool is missing (#15). Each missing tool is a line on
stderr, then one naming the Debian packages to install, and the bench exits with status 1."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Mapping

from tutor.chromium import ChromiumUnavailable, executable

# (what is missing, in words; the Debian package that brings it)
Missing = tuple[str, str]


def on_path(needed: Mapping[str, str]) -> list[Missing]:
    """Each program of ``needed`` (program → Debian package) that is not on ``PATH``."""
    return [
        (f"{program} is not installed", package)
        for program, package in needed.items()
        if shutil.which(program) is None
    ]


def require(bench: str, missing: list[Missing]) -> None:
    """With anything missing: its lines on stderr and exit status 1, nothing started."""
    if missing:
        packages = " ".join(dict.fromkeys(package for _, package in missing))
        lines = [f"{bench}: {what} (Debian package {package})" for what, package in missing]
        lines.append(
            f"{bench}: nothing was measured; Debian: apt-get install {packages} "
            "(or `make system-deps`)"
        )
        sys.exit("\n".join(lines))


def chromium(bench: str, env: Mapping[str, str] | None = None) -> str:
    """The browser for Playwright as the browser tests find it (``tutor.chromium``:
    ``CHROMIUM_PATH``, else ``chromium`` or ``chromium-browser`` on ``PATH``), or exit 1."""
    try:
        return executable(env)
    except ChromiumUnavailable as unavailable:
        require(bench, [(str(unavailable), "chromium")])
        raise
