"""The database stopped for a moment: 503 with Retry-After meanwhile, served again after."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tutor.web.extensions import db
from tutor.web.models import Submission

from ..servers import PostgresServer


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_stopped_database_gets_503_and_then_service_again(
    make_app: Callable[..., Flask], postgres_server: PostgresServer
) -> None:
    app = make_app(QUEUE_URL="immediate", WTF_CSRF_ENABLED=False)
    client = app.test_client()
    client.get("/api/session")
    solution = app.extensions["catalog"].exercise("io-path").solution
    assert client.post("/api/exercises/io-path/grade", json={"code": solution}).status_code == 200

    postgres_server.stop()
    try:
        during = client.post("/api/exercises/io-path/grade", json={"code": solution + "\n#2\n"})
        page = client.get("/submissions/1")
    finally:
        postgres_server.start()

    assert during.status_code == 503, during.get_data(as_text=True)
    # The same wait in the header and the body, on a rate-limited route too (#10).
    assert during.headers["Retry-After"] == "5" and during.get_json()["retry_after"] == 5
    assert "the database is unavailable for a moment" in during.get_json()["error"]
    assert "数据库暂时不可用" in during.get_json()["error_zh"]
    assert page.status_code == 503 and "Traceback" not in page.get_data(as_text=True)

    after = client.post("/api/exercises/io-path/grade", json={"code": solution + "\n#3\n"})
    assert after.status_code == 200, after.get_json()
    with app.app_context():
        codes = db.session.execute(db.select(Submission.code).order_by(Submission.id)).scalars()
        assert [c.endswith("#3\n") for c in codes] == [False, True]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_connection_lost_after_the_answer_is_ready_still_answers(
    make_app: Callable[..., Flask], postgres_server: PostgresServer
) -> None:
    """The database drops a request's connection after its last query: closing the session at
    the end of the request then fails, outside every error handler, and the web server used to
    answer its own bare 500 page. The learner gets the answer that was ready; the next request
    gets a fresh connection."""
    app = make_app(QUEUE_URL="immediate", WTF_CSRF_ENABLED=False)

    @app.get("/api/probe/dropped-after-read")
    def dropped_after_read() -> dict[str, int]:
        count = db.session.execute(db.select(db.func.count(Submission.id))).scalar_one()
        pid = db.session.execute(db.text("SELECT pg_backend_pid()")).scalar_one()
        with postgres_server._admin() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        return {"submissions": count}

    client = app.test_client()
    dropped = client.get("/api/probe/dropped-after-read")
    assert dropped.status_code == 200 and dropped.get_json() == {"submissions": 0}
    again = client.get("/api/probe/dropped-after-read")
    assert again.status_code == 200
