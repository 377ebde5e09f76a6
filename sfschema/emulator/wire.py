"""The emulator's HTTP face: a werkzeug WSGI app with Salesforce's routes, shapes and headers.

Rules live in ``org.py``; this module turns requests into org calls and org answers (or
EmulatorErrors) into Salesforce's JSON bodies, error arrays, status codes and headers. API calls
are counted here, as Salesforce counts them: one per REST request, one per /composite request,
one per /composite/batch subrequest. Every response except ``GET /services/data/`` carries
``Sforce-Limit-Info: api-usage=N/M``.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from werkzeug.exceptions import MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request

from sfschema.emulator.formats import (
    http_datetime,
    parse_http_datetime,
    release_label,
    utc_now,
)
from sfschema.emulator.org import NOT_FOUND_MESSAGE, Org, Versioned
from sfschema.emulator.users import User
from sfschema.errors import EmulatorError
from sfschema.salesforce_errors import (
    INVALID_SESSION_ID,
    JSON_PARSER_ERROR,
    PRECONDITION_FAILED,
    PRECONDITION_FAILED_MESSAGE,
    REQUEST_ENTITY_TOO_LARGE,
    REQUEST_TOO_LARGE_MESSAGE,
    TOKEN_IN_URL_MESSAGE,
    UNKNOWN_EXCEPTION,
    UNKNOWN_EXCEPTION_MESSAGE,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

JSON_TYPE = "application/json;charset=UTF-8"
NOT_IMPLEMENTED = "EMULATOR_NOT_IMPLEMENTED"
_VERSIONED = re.compile(r"^/services/data/v(?P<major>[0-9]{1,4})\.(?P<minor>[0-9]+)(?P<rest>/.*)?$")
# Resources Salesforce has under /services/data/vXX.X/ that the emulator does not serve (yet):
# asking for them is an emulator gap (501), never a silent 404.
_KNOWN_RESOURCES = frozenset(
    [
        "sobjects",
        "query",
        "queryAll",
        "search",
        "parameterizedSearch",
        "composite",
        "jobs",
        "tooling",
        "actions",
        "analytics",
        "connect",
        "chatter",
        "process",
        "recent",
        "tabs",
        "theme",
        "appMenu",
        "quickActions",
        "async-queries",
        "support",
        "ui-api",
        "licensing",
        "consent",
        "event",
        "scheduling",
        "smartdatadiscovery",
    ]
)


@dataclass
class Reply:
    """A response before it becomes HTTP: JSON body (or raw bytes), status and headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = JSON_TYPE

    def payload_bytes(self) -> bytes:
        if self.raw is not None:
            return self.raw
        if self.status in (204, 304):
            return b""
        return json.dumps(self.body, ensure_ascii=False).encode()


def error_reply(exc: EmulatorError) -> Reply:
    """Salesforce's error array: ``[{"message", "errorCode"[, "fields"]}]`` with the status."""
    entry: dict[str, Any] = {"message": exc.message, "errorCode": exc.error_code}
    if exc.fields is not None:
        entry["fields"] = exc.fields
    return Reply(exc.status, [entry])


@dataclass(frozen=True)
class Call:
    """One REST call against the org: a top-level request or a composite subrequest."""

    user: User
    method: str
    version: int
    rest: str
    headers: Mapping[str, str]
    body: bytes
    nested: bool = False
    query: str = ""

    def args(self) -> dict[str, str]:
        """Query-string parameters (the last value of a repeated name)."""
        return dict(parse_qsl(self.query, keep_blank_values=True))

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)

    def json_body(self) -> Any:
        """The body as JSON; bad JSON (too deep, an int of too many digits …) is a 400."""
        try:
            return json.loads(self.body or b"null")
        except RecursionError as exc:
            raise EmulatorError(
                JSON_PARSER_ERROR, "Invalid JSON in request body: nested too deeply"
            ) from exc
        except json.JSONDecodeError as exc:
            raise EmulatorError(JSON_PARSER_ERROR, f"Invalid JSON in request body: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise EmulatorError(
                JSON_PARSER_ERROR, "Invalid JSON in request body: not UTF-8"
            ) from exc
        except ValueError as exc:  # an int longer than Python reads (sys.get_int_max_str_digits)
            raise EmulatorError(
                JSON_PARSER_ERROR, "Invalid JSON in request body: a number has too many digits"
            ) from exc


Handler = Callable[["WireApp", Call, dict[str, str]], Reply]
_HANDLERS: dict[str, Handler] = {}
_RULES: list[Rule] = []


def route(
    path: str, endpoint: str, methods: Iterable[str] = ("GET",)
) -> Callable[[Handler], Handler]:
    """Register a handler for a path under /services/data/vXX.X."""

    def register(handler: Handler) -> Handler:
        _RULES.append(Rule(path, endpoint=endpoint, methods=list(methods)))
        _HANDLERS[endpoint] = handler
        return handler

    return register


class WireApp:
    """The WSGI app of one emulated org."""

    def __init__(self, org: Org, instance_url: str) -> None:
        self.org = org
        self.instance_url = instance_url.rstrip("/")
        self.latency = 0.0
        # Served over HTTPS the app runs in several threads; org state changes one at a time.
        self._lock = threading.Lock()
        self._map = Map(list(_rules()), strict_slashes=False, merge_slashes=False)

    # -- WSGI ----------------------------------------------------------------------------------

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        # The body is read once, here, through a stream that stops after the cap + 1 bytes
        # (werkzeug refuses a Content-Length over that before reading); handlers and form
        # parsing use the cached bytes.
        cap = self.org.settings.max_request_body_bytes
        request.max_content_length = cap + 1
        if self.latency > 0:
            time.sleep(self.latency)
        try:
            if len(request.get_data(cache=True)) > cap:  # read outside the lock: clients are slow
                raise RequestEntityTooLarge()
            with self._lock:
                reply, limit_header = self.handle(request)
        except RequestEntityTooLarge:
            reply, limit_header = self.too_large(), True
        except Exception:  # every answer is Salesforce's error array, never an HTML 500
            reply, limit_header = unexpected_error(), True
        headers: list[tuple[str, str]] = []
        if reply.status not in (204, 304) or reply.raw is not None:
            headers.append(("Content-Type", reply.content_type))
        headers.append(("Date", http_datetime(utc_now())))
        headers.extend(reply.headers.items())
        if limit_header:
            headers.append(("Sforce-Limit-Info", self.limit_info()))
        body = reply.payload_bytes()
        headers.append(("Content-Length", str(len(body))))
        if request.method == "HEAD":
            body = b""
        # Raw WSGI, not werkzeug's Response: that drops Last-Modified from a 304.
        start_response(f"{reply.status} {HTTP_STATUS_CODES.get(reply.status, 'Unknown')}", headers)
        return [body]

    def limit_info(self) -> str:
        """The Sforce-Limit-Info value: calls used / daily allowance."""
        return f"api-usage={self.org.api_calls}/{self.org.settings.daily_api_max}"

    def too_large(self) -> Reply:
        limit = self.org.settings.max_request_body_bytes
        message = REQUEST_TOO_LARGE_MESSAGE.format(limit=limit)
        return error_reply(EmulatorError(REQUEST_ENTITY_TOO_LARGE, message, 413))

    def handle(self, request: Request) -> tuple[Reply, bool]:
        """The reply to an HTTP request and whether it carries Sforce-Limit-Info."""
        from sfschema.emulator import login

        path = request.path
        if path in ("/services/data", "/services/data/"):
            return self.versions(), False
        if "oauth_token" in request.args or "access_token" in request.args:
            # A token in the URL lands in access logs: only the Authorization header counts.
            return error_reply(EmulatorError(INVALID_SESSION_ID, TOKEN_IN_URL_MESSAGE, 401)), True
        if path.startswith("/services/data/"):
            return self.data_request(request), True
        try:
            return login.handle(self, request), True
        except EmulatorError as exc:
            return error_reply(exc), True

    def versions(self) -> Reply:
        """GET /services/data/: every served version (no auth, not counted)."""
        settings = self.org.settings
        return Reply(
            200,
            [
                {"label": release_label(v), "url": f"/services/data/v{v}.0", "version": f"{v}.0"}
                for v in range(settings.min_api_version, settings.max_api_version + 1)
            ],
        )

    # -- REST ----------------------------------------------------------------------------------

    def authenticate(self, request: Request) -> User:
        """The user of the request's bearer token; 401 INVALID_SESSION_ID otherwise."""
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        user = None
        if scheme.lower() in ("bearer", "oauth") and token.strip():
            user = self.org.tokens.user_for_access_token(token.strip())
        if user is None:
            raise EmulatorError("INVALID_SESSION_ID", "Session expired or invalid", status=401)
        return user

    def data_request(self, request: Request) -> Reply:
        """Authenticate, route and answer one REST request (errors become error arrays)."""
        try:
            user = self.authenticate(request)
            query = request.query_string.decode("latin-1")
            call = self.make_call(
                user,
                request.method,
                f"{request.path}?{query}" if query else request.path,
                dict(request.headers.items()),
                request.get_data(),
            )
            return self.dispatch(call, top_level=True)
        except EmulatorError as exc:
            return error_reply(exc)

    def make_call(
        self,
        user: User,
        method: str,
        path: str,
        headers: Mapping[str, str],
        body: bytes,
        nested: bool = False,
    ) -> Call:
        """A Call for a /services/data/vXX.X/... path; 404 for an unserved version."""
        path, _, query = path.partition("?")
        match = _VERSIONED.match(path)
        settings = self.org.settings
        if match is None or match["minor"] != "0":
            raise EmulatorError("NOT_FOUND", NOT_FOUND_MESSAGE, 404)
        version = int(match["major"])
        if not settings.min_api_version <= version <= settings.max_api_version:
            raise EmulatorError("NOT_FOUND", NOT_FOUND_MESSAGE, 404)
        rest = (match["rest"] or "/").rstrip("/") or "/"
        return Call(user, method.upper(), version, rest, dict(headers), body, nested, query)

    def dispatch(self, call: Call, top_level: bool = False) -> Reply:
        """Route one call. At the top level it is counted (composite/batch count their own)."""
        adapter = self._map.bind("emulator", "/")
        try:
            endpoint, args = adapter.match(call.rest, method=call.method)
        except MethodNotAllowed as exc:
            if _first_segment(call.rest) == "sobjects":
                raise _not_implemented(call) from exc
            allowed = ",".join(sorted(exc.valid_methods or ()))
            raise EmulatorError(
                "METHOD_NOT_ALLOWED",
                f"HTTP Method '{call.method}' not allowed. Allowed are {allowed}",
                405,
            ) from exc
        except NotFound as exc:
            if _first_segment(call.rest) in _KNOWN_RESOURCES:
                raise _not_implemented(call) from exc
            if top_level:
                self.org.count_calls(1)
            raise EmulatorError("NOT_FOUND", NOT_FOUND_MESSAGE, 404) from exc
        if top_level and endpoint != "batch":
            self.org.count_calls(1)
        reply = _HANDLERS[str(endpoint)](self, call, {k: str(v) for k, v in args.items()})
        if top_level and reply.status == 304 and not self.org.settings.count_not_modified:
            self.org.api_calls -= 1
        return reply

    def conditional(self, call: Call, versioned: Versioned) -> Reply:
        """200 with the payload, or 304 with no body when the client's copy is current."""
        meta = {"ETag": versioned.etag, "Last-Modified": http_datetime(versioned.last_modified)}
        unmodified = parse_http_datetime(call.header("If-Unmodified-Since"))
        if unmodified is not None and versioned.last_modified > unmodified:
            # "Conditional Request Headers": a failed If-Unmodified-Since is 412.
            message = PRECONDITION_FAILED_MESSAGE.format(since=http_datetime(unmodified))
            raise EmulatorError(PRECONDITION_FAILED, message, 412)
        since = parse_http_datetime(call.header("If-Modified-Since"))
        none_match = call.header("If-None-Match") if self.org.settings.describe_etags else None
        tags = _etags(none_match) if none_match is not None else None
        if versioned.not_modified(since, tags):
            return Reply(304, None, meta)
        return Reply(200, versioned.payload, meta)


def unexpected_error() -> Reply:
    """500 UNKNOWN_EXCEPTION for a fault of the emulator itself (one line on stderr names it)."""
    error_id = secrets.token_hex(4)
    fault = repr(sys.exc_info()[1])
    print(f"sfschema emulator: ErrorId {error_id}: {fault[:300]}", file=sys.stderr)
    message = UNKNOWN_EXCEPTION_MESSAGE.format(error_id=error_id)
    return error_reply(EmulatorError(UNKNOWN_EXCEPTION, message, 500))


def _rules() -> Iterable[Rule]:
    from sfschema.emulator import composite, resources  # noqa: F401  (register routes)

    return [rule.empty() for rule in _RULES]


def _first_segment(rest: str) -> str:
    return rest.strip("/").split("/", 1)[0]


def _not_implemented(call: Call) -> EmulatorError:
    return EmulatorError(
        NOT_IMPLEMENTED,
        f"The sfschema emulator does not implement {call.method} "
        f"/services/data/v{call.version}.0{call.rest} yet",
        501,
    )


def _etags(header: str) -> list[str]:
    tags = []
    for part in header.split(","):
        tag = part.strip()
        tags.append(tag[2:] if tag.startswith("W/") else tag)
    return tags
