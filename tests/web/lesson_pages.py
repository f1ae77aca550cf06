"""Reading a lesson page as its scripts do: the scenes and practice cases come from the data
file the page names (``tutor.web.lesson_data``)."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

from flask.testing import FlaskClient


def data_url(page: str) -> str:
    found = re.search(r'<article class="lesson"[^>]*\sdata-lesson-data="([^"]+)"', page)
    assert found, "the lesson page names its data file"
    return unescape(found.group(1))


def lesson_data(client: FlaskClient, page: str) -> dict[str, Any]:
    response = client.get(data_url(page))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    return json.loads(response.get_data())  # type: ignore[no-any-return]
