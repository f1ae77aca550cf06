"""The front-end pins of #15: what esbuild minifies, which esbuild a machine gets, which d3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor import assets
from tutor.content.loader import render_markdown


def test_minified_files_sit_beside_their_sources_and_count_as_installed(tmp_path: Path) -> None:
    pin = assets.Asset("codemirror", "5.0.0", "sha512-x", ("lib/cm.js",), {}, minify=("lib/cm.js",))
    assert pin.minified() == ("lib/cm.min.js",)
    assert not pin.installed()  # neither the file nor its minified copy exists


def test_an_unpinned_platform_is_told_which_esbuild_pin_to_add(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(assets, "machine_platform", lambda: "plan9-mips")
    with pytest.raises(assets.AssetError, match=r"@esbuild/plan9-mips"):
        assets.esbuild()


def test_tools_are_never_served_and_platform_pins_only_fetched_where_they_run() -> None:
    pins = assets.pinned()
    assert pins["axe-core"].folder.is_relative_to(assets.TOOLS)
    assert not pins["axe-core"].folder.is_relative_to(assets.STATIC)
    here = assets.machine_platform()
    for name, pin in pins.items():
        if name.startswith("@esbuild/"):
            assert pin.tool and pin.wanted_here() == (name == f"@esbuild/{here}")


def test_d3_is_only_its_modules_in_dependency_order_each_from_the_cdn() -> None:
    modules = [pin.package for pin in assets.d3_modules(assets.pinned())]
    assert "d3" not in modules and "d3-scale" not in modules
    assert modules.index("d3-selection") < modules.index("d3-transition")
    for dependency in ("d3-dispatch", "d3-timer", "d3-color", "d3-interpolate", "d3-ease"):
        assert modules.index(dependency) < modules.index("d3-transition")
    raw = json.loads(assets.PINS.read_text())
    for name in modules:
        (file,) = raw[name]["files"]
        assert raw[name]["cdn"][file].endswith(f"/npm/{name}@{raw[name]['version']}/{file}")


def test_markdown_code_and_tables_are_tab_stops_and_a_corner_is_no_header() -> None:
    html = render_markdown("| | cost |\n|---|---:|\n| trap | 1 |\n\n```\nlong line\n```\n")
    assert '<pre tabindex="0">' in html and '<table tabindex="0">' in html
    assert "<th></th>" not in html and "<td></td>" in html
    assert '<th style="text-align:right">cost</th>' in html
