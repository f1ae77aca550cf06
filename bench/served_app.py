"""The application ``bench.budgets`` serves with gunicorn: the real one plus one trivial route.

The trivial route is the yardstick of the issue's throughput goal: it passes through the same
gunicorn, the same WSGI stack and the same ``after_request`` hooks (security headers, compression,
validators) as the lesson page, and does nothing else. It exists only in this benchmark process.
"""

from __future__ import annotations

from tutor.web import create_app

app = create_app()


@app.get("/bench/trivial")
def trivial() -> str:
    return "ok"
