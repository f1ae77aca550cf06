"""The app on a free port of 127.0.0.1, served from a thread of this process.

What `flask tutor draw-posters` opens in Chromium (animation_poster.py), and what the browser
tests and the benches drive: one way to start it and to stop it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from werkzeug.serving import WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: object, **kwargs: object) -> None:
        """The pages' requests are not what the caller reports."""


@contextmanager
def served(app: WSGIApplication, *, quiet: bool = False) -> Iterator[str]:
    """Yields the server's base URL (``http://127.0.0.1:<port>``); stops it on the way out."""
    handler = _Quiet if quiet else WSGIRequestHandler
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
