"""Reading ``sw.js`` as the browser's worker does: its first line is the cache's version and the
list of what it keeps (``tutor.web.offline``)."""

from __future__ import annotations

import json
from typing import Any

PREFIX = "self.VIRTTUTOR_OFFLINE = "


def precache_manifest(sw_js: str) -> dict[str, Any]:
    """``{"version": ..., "precache": [[url, sha256 | None], ...]}`` from the text of ``sw.js``."""
    head = sw_js.split("\n", 1)[0]
    assert head.startswith(PREFIX), head[:80]
    manifest: dict[str, Any] = json.loads(head.removeprefix(PREFIX).removesuffix(";"))
    return manifest
