"""Pinned front-end assets: fetched once at set-up from the npm registry, never at page view.

The pins live in ``static/assets.json``. ``npm pack`` reports each tarball's integrity, which must
equal the pin before anything is unpacked; the SRI hash of every served file is then computed from
the local copy, so a CDN can only serve the very bytes we verified.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
PINS = STATIC / "assets.json"
VENDOR = STATIC / "vendor"


class AssetError(RuntimeError):
    pass


@dataclass(frozen=True)
class Asset:
    package: str
    version: str
    integrity: str
    files: tuple[str, ...]
    cdn: dict[str, str]

    @property
    def folder(self) -> Path:
        return VENDOR / f"{self.package.replace('.', '-')}-{self.version}"

    def installed(self) -> bool:
        return all((self.folder / f).is_file() for f in self.files)


def pinned() -> dict[str, Asset]:
    raw = json.loads(PINS.read_text())
    return {
        name: Asset(name, pin["version"], pin["integrity"], tuple(pin["files"]), pin.get("cdn", {}))
        for name, pin in raw.items()
        if not name.startswith("_")
    }


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
        with tarfile.open(tarball) as tar:
            tar.extractall(staging, filter="data")
        if asset.folder.exists():
            shutil.rmtree(asset.folder)
        for name in asset.files:
            target = asset.folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staging / "package" / name, target)


def fetch_missing() -> list[str]:
    fetched = []
    for asset in pinned().values():
        if not asset.installed():
            fetch(asset)
            fetched.append(f"{asset.package}@{asset.version}")
    return fetched


def sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


if __name__ == "__main__":
    done = fetch_missing()
    print("fetched " + ", ".join(done) if done else "assets up to date")
