"""Compressed responses (Flask-Compress): pages, fragments and JSON, brotli or gzip.

Whatever the browser takes (``Accept-Encoding``), every response says ``Vary: Accept-Encoding``
so a cache never hands a compressed body to a client that cannot read it. Static files are
compressed once per file by ``static_delivery`` instead (they are sent as files, which
Flask-Compress would compress again on every request), so streamed responses are left alone
here. A dynamic body is compressed per response at a fast level: a lesson page is ≈ 100-250 KB
of HTML and JSON, ≈ 15-30 KB compressed.
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

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


def init_app(app: Flask) -> None:
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    Compress(app)
