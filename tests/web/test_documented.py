"""Every command and setting a user can reach is documented (datasette's habit).

Adding a ``flask tutor`` command or a configuration default without a line in the README fails
here, so the README cannot silently fall behind the code.
"""

from __future__ import annotations

import re

from tutor.web.cli import tutor_cli

from ..conftest import ROOT

README = (ROOT / "README.md").read_text()
DEPLOYMENT = (ROOT / "docs" / "deployment.md").read_text()
SOURCES = "\n".join(p.read_text() for p in (ROOT / "tutor").rglob("*.py"))


def settings_read_by_the_code() -> set[str]:
    """Every ``config["X"]`` / ``config.get("X"`` in tutor/, i.e. what a deployer can set."""
    return set(re.findall(r'config(?:\.get\(|\[)"([A-Z][A-Z_]+)"', SOURCES))


def test_every_cli_command_is_in_the_readme() -> None:
    missing = [name for name in tutor_cli.commands if f"tutor {name}" not in README]
    assert missing == []


def test_every_setting_the_code_reads_is_in_the_readme() -> None:
    settings = settings_read_by_the_code()
    assert {"GRADER", "LESSONS_DIR", "ASSETS_MODE"} <= settings  # the scan itself works
    documented = set(re.findall(r"`([A-Z][A-Z_]+)`", README))
    assert settings - documented == set()
    assert [key for key in settings if key.startswith("GRADER") and key not in DEPLOYMENT] == []


def test_every_make_target_in_the_readme_exists() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    mentioned = set(re.findall(r"`make ([a-z-]+)`", README)) | set(
        re.findall(r"^make ([a-z-]+)", README, re.M)
    )
    assert mentioned and mentioned <= targets
