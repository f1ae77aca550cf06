"""Compressed responses (Flask-Compress): pages, fragments and JSON, brotli or gzip.

Whatever the browser takes (``Accept-Encoding``), every response says ``Vary: Accept-Encoding``
so a cache never hands a compressed body to a client that cannot read it. Static files are
compressed once per file by ``static_delivery`` instead (they are sent as files, which
Flask-Compress would compress again on every request), so streamed responses are left alone
here. A dynamic body is compressed per response at a fast level: a lesson page is ≈ 100-250 KB
of HTML and JSON, ≈ 15-30 KB compressed.

The encoding is chosen as for static files (``accept_headers.best_encoding``): Flask-Compress
1.25 takes the highest quality a client names even when it is 0, so ``gzip;q=0`` ("never gzip")
got gzip and ``br;q=0, gzip;q=0`` brotli (RFC 9110 §12.5.3: 0 means not acceptable).
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_compress import Compress

from .accept_headers import best_encoding

ACCEPT_ENCODING = "HTTP_ACCEPT_ENCODING"

SETTINGS = {
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/plain",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
    ],
    "COMPRESS_LEVEL": 6,
    "COMPRESS_BR_LEVEL": 4,
    "COMPRESS_MIN_SIZE": 500,
    "COMPRESS_STREAMS": False,
}


class NegotiatedCompress(Compress):
    """Flask-Compress, told only the one encoding the client takes best (or ``identity``)."""

    def after_request(self, response: Response | None) -> Response:
        environ = request.environ
        header = environ.get(ACCEPT_ENCODING)
        chosen = best_encoding(header, tuple(self.enabled_algorithms))
        environ[ACCEPT_ENCODING] = chosen or "identity"
        try:
            return super().after_request(response)
        finally:  # later hooks and the access log see what the client sent
            if header is None:
                del environ[ACCEPT_ENCODING]
            else:
                environ[ACCEPT_ENCODING] = header


def init_app(app: Flask) -> None:
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    NegotiatedCompress(app)
