"""A number in an address larger than any row id (PostgreSQL's integer ends at 2**31 - 1,
SQLite's at 2**63 - 1) names no row: 404 on both databases, never the database's refusal."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

HUGE = ["2147483648", "9223372036854775808", "9" * 40]


@pytest.mark.parametrize("number", HUGE)
def test_an_id_beyond_any_row_is_not_found(make_app: Callable[..., Flask], number: str) -> None:
    app = make_app(QUEUE_URL="immediate", WTF_CSRF_ENABLED=False)
    client = app.test_client()
    client.get("/api/session")
    api = client.get(f"/api/submissions/{number}")
    assert api.status_code == 404 and "error" in api.get_json()
    for path in (f"/submissions/{number}", f"/courses/any/students/{number}"):
        assert client.get(path).status_code in (302, 404)  # (a course page: sign in first)
    assert client.get("/api/submissions/2147483647").status_code == 404  # the largest id: none
