"""Which Chromium the browser tests drive, and what to do on Ubuntu, where none comes as a .deb.

Since Ubuntu 19.10 (24.04 included) the ``chromium-browser`` package is a transitional package
that installs the snap and leaves a ``/usr/bin`` script that runs ``/snap/bin/chromium``.
Playwright cannot drive that confined browser here (and containers have no snapd), and the
failure it gives is obscure. So the browser is ``CHROMIUM_PATH`` when set, else ``chromium`` or
``chromium-browser`` on ``PATH``, and a snap wrapper is named as such with the way out.
Stdlib only: ``make system-deps`` runs this with the system Python, before any venv exists.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping

NAMES = ("chromium", "chromium-browser")
# Headless, and nothing that reaches for the network on its own (this machine has none but the
# package registries): the browser tests, the benches and `flask tutor draw-posters`.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GUIDANCE = (
    "Ubuntu's Chromium package only installs the snap, which Playwright cannot drive. Install a "
    "Chromium or Chrome build as a .deb or tarball (e.g. Google Chrome's .deb, or Playwright's "
    "own: .venv/bin/playwright install chromium) and point the browser tests at it with "
    "CHROMIUM_PATH=/path/to/chrome make test. `make run` does not need it."
)


class ChromiumUnavailable(RuntimeError):
    pass


def executable(env: Mapping[str, str] | None = None) -> str:
    """The browser for Playwright, or an error that says what to install or set."""
    env = os.environ if env is None else env
    chosen = env.get("CHROMIUM_PATH", "").strip()
    if chosen:
        if not os.access(chosen, os.X_OK):
            raise ChromiumUnavailable(f"CHROMIUM_PATH={chosen} is not an executable file")
        return chosen
    for name in NAMES:
        found = shutil.which(name, path=env.get("PATH", ""))
        if found is None:
            continue
        if is_snap_wrapper(found):
            raise ChromiumUnavailable(f"{found} starts the Chromium snap. {GUIDANCE}")
        return found
    raise ChromiumUnavailable(
        "no Chromium found (looked for CHROMIUM_PATH, then chromium and chromium-browser on "
        f"PATH). Debian: apt-get install chromium. {GUIDANCE}"
    )


def is_snap_wrapper(path: str) -> bool:
    """The snap itself, or a small script that hands over to it (Ubuntu's transitional one)."""
    if os.path.realpath(path).startswith("/snap/"):
        return True
    try:
        with open(path, "rb") as script:
            head = script.read(64 * 1024)
    except OSError:
        return False
    return head.startswith(b"#!") and b"/snap/bin/chromium" in head


if __name__ == "__main__":
    # Silent when all is well, and never fails the set-up: only the browser tests need Chromium,
    # and they fail with the same message if it is still missing.
    try:
        executable()
    except ChromiumUnavailable as problem:
        print(f"note: {problem}", file=sys.stderr)
