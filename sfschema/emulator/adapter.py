"""A ``requests`` transport adapter that answers from a WSGI app in process (no sockets)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from werkzeug.test import EnvironBuilder, run_wsgi_app

from sfschema.emulator.http import IN_PROCESS_KEY, TIMEOUT_HEADER

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


class WsgiAdapter(BaseAdapter):
    """Mount on a ``requests.Session`` to send its requests to a WSGI app.

    >>> from werkzeug.wrappers import Response
    >>> session = requests.Session()
    >>> session.mount("https://example.test", WsgiAdapter(Response("hello")))
    >>> session.get("https://example.test/anything").text
    'hello'
    """

    def __init__(self, app: WSGIApplication) -> None:
        super().__init__()
        self.app = app

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Run the request through the app and wrap its answer as a ``requests.Response``."""
        url = urlsplit(request.url or "")
        headers = dict(request.headers)
        content_type = headers.pop("Content-Type", None)
        headers.pop("Content-Length", None)
        builder = EnvironBuilder(
            path=url.path or "/",
            base_url=f"{url.scheme}://{url.netloc}",
            query_string=url.query,
            method=request.method or "GET",
            headers=list(headers.items()),
            data=_body_bytes(request.body),
            content_type=content_type,
            environ_overrides={IN_PROCESS_KEY: True},
        )
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        app_iter, status, response_headers = run_wsgi_app(self.app, environ, buffered=True)
        try:
            content = b"".join(app_iter)
        finally:
            close = getattr(app_iter, "close", None)
            if close is not None:
                close()
        if any(name.lower() == TIMEOUT_HEADER.lower() for name, _ in response_headers.items()):
            # An injected timeout: the request was processed, its answer never arrives.
            raise requests.ReadTimeout(f"injected read timeout: {request.method} {url.path}")
        response = requests.Response()
        code, _, reason = status.partition(" ")
        response.status_code = int(code)
        response.reason = reason
        response.headers = CaseInsensitiveDict(dict(response_headers.items()))
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = io.BytesIO(content)
        response._content = content
        response.url = request.url or ""
        response.request = request
        response.connection = self  # type: ignore[assignment]
        return response

    def close(self) -> None:
        """Nothing to release: no connections are ever opened."""


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return b"".join(part.encode() if isinstance(part, str) else bytes(part) for part in body)
