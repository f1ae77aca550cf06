"""Response headers every page needs.

Cross-origin isolation (COOP + COEP) unlocks SharedArrayBuffer, which lets the page interrupt a
runaway Python program in the worker instead of killing the worker. COEP "credentialless" keeps
the d3 CDN script (loaded with crossorigin) working.
"""

from __future__ import annotations

from flask import Flask, Response, request


def install_headers(app: Flask) -> None:
    @app.after_request
    def _isolate(response: Response) -> Response:
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Embedder-Policy", "credentialless")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.path.startswith("/static/"):
            response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.vary.add("HX-Request")
        return response
