"""The emulator's HTTP face: a werkzeug WSGI app serving the route table of ``routes``.

Rules live in ``org.py`` (and ``writes``/``dml``); this module authenticates, routes, charges API
calls as Salesforce does (one per REST request, one per /composite request, one per
/composite/batch subrequest; never a 501 nor a refused login), applies injected faults and logs
every request (``requests``). Every response except ``GET /services/data/`` carries
``Sforce-Limit-Info: api-usage=N/M``.
"""

from __future__ import annotations

import re
import secrets
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from werkzeug.exceptions import MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request

from sfschema.emulator.formats import http_datetime, parse_http_datetime, release_label, utc_now
from sfschema.emulator.http import (
    IN_PROCESS_KEY,
    TIMEOUT_HEADER,
    Call,
    Reply,
    error_reply,
    not_found,
    not_implemented,
)
from sfschema.emulator.org import Org, Versioned
from sfschema.emulator.requestlog import LoggedRequest, RequestLog
from sfschema.emulator.routes import LOGIN_ROUTES, REST_ROUTES, SELF_CHARGING
from sfschema.emulator.users import User
from sfschema.errors import EmulatorError
from sfschema.salesforce_errors import (
    INVALID_SESSION_ID,
    METHOD_NOT_ALLOWED,
    PRECONDITION_FAILED,
    PRECONDITION_FAILED_MESSAGE,
    REQUEST_ENTITY_TOO_LARGE,
    REQUEST_TOO_LARGE_MESSAGE,
    SERVER_UNAVAILABLE,
    SERVER_UNAVAILABLE_MESSAGE,
    SESSION_EXPIRED_MESSAGE,
    TOKEN_IN_URL_MESSAGE,
    UNKNOWN_EXCEPTION,
    UNKNOWN_EXCEPTION_MESSAGE,
    WireError,
    error_array,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

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
# Resources whose unknown methods are an emulator gap too (PUT on a record, …).
_GAP_ON_WRONG_METHOD = ("sobjects", "composite")


class WireApp:
    """The WSGI app of one emulated org."""

    def __init__(self, org: Org, instance_url: str) -> None:
        self.org = org
        self.instance_url = instance_url.rstrip("/")
        self.latency = 0.0
        self.requests = RequestLog()
        # Served over HTTPS the app runs in several threads; org state changes one at a time.
        self._lock = threading.Lock()
        self._map = Map(
            [Rule(r.path, endpoint=r.endpoint, methods=list(r.methods)) for r in REST_ROUTES],
            strict_slashes=False,
            merge_slashes=False,
        )
        self._handlers = {route.endpoint: route.handler for route in REST_ROUTES}
        self._login_map = Map(
            [Rule(r.path, endpoint=r.endpoint, methods=list(r.methods)) for r in LOGIN_ROUTES],
            strict_slashes=False,
            merge_slashes=False,
        )
        self._login_handlers = {route.endpoint: route.handler for route in LOGIN_ROUTES}

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
        timed_out = False
        before = self.org.api_calls
        try:
            if len(request.get_data(cache=True)) > cap:  # read outside the lock: clients are slow
                raise RequestEntityTooLarge()
            with self._lock:
                before = self.org.api_calls
                reply, limit_header, timed_out = self.handle(request)
        except RequestEntityTooLarge:
            reply, limit_header = self.too_large(), True
        except Exception:  # every answer is Salesforce's error array, never an HTML 500
            reply, limit_header = unexpected_error(), True
        with self._lock:
            self.requests.add(
                LoggedRequest(
                    request.method,
                    request.path,
                    reply.status,
                    self.org.api_calls - before,
                    reply.written,
                )
            )
        headers: list[tuple[str, str]] = []
        if reply.status not in (204, 304) or reply.raw is not None:
            headers.append(("Content-Type", reply.content_type))
        headers.append(("Date", http_datetime(utc_now())))
        headers.extend(reply.headers.items())
        if limit_header:
            headers.append(("Sforce-Limit-Info", self.limit_info()))
        if timed_out:
            if environ.get(IN_PROCESS_KEY):
                headers.append((TIMEOUT_HEADER, "1"))
            else:  # served: the answer comes after the client has given up
                time.sleep(self.org.faults.timeout_seconds)
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

    def handle(self, request: Request) -> tuple[Reply, bool, bool]:
        """(reply, whether it carries Sforce-Limit-Info, whether its answer is lost)."""
        path = request.path
        if path in ("/services/data", "/services/data/"):
            return self.versions(), False, False
        if "oauth_token" in request.args or "access_token" in request.args:
            # A token in the URL lands in access logs: only the Authorization header counts.
            refused = EmulatorError(INVALID_SESSION_ID, TOKEN_IN_URL_MESSAGE, 401)
            return error_reply(refused), True, False
        if path.startswith("/services/data/"):
            faults = self.org.faults
            number = faults.next_request()
            if number in faults.unavailable_on:
                unavailable = WireError(SERVER_UNAVAILABLE, SERVER_UNAVAILABLE_MESSAGE)
                return Reply(503, error_array([unavailable])), True, False
            if faults.session_expires_now():
                self.org.tokens.expire_access_tokens()
            try:
                return self.data_request(request), True, number in faults.timeout_on
            except BaseException:
                self.org.records.rollback(0)  # an emulator fault writes nothing
                raise
            finally:
                self.org.records.commit()
        return self.login_request(request), True, False

    def login_request(self, request: Request) -> Reply:
        """Authentication endpoints (never charged); unknown paths are 404 NOT_FOUND."""
        adapter = self._login_map.bind("emulator", "/")
        try:
            endpoint, args = adapter.match(request.path, method=request.method)
            handler = self._login_handlers[str(endpoint)]
            return handler(self, request, {k: str(v) for k, v in args.items()})
        except (NotFound, MethodNotAllowed):
            return error_reply(not_found())
        except EmulatorError as exc:
            return error_reply(exc)

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
            raise EmulatorError(INVALID_SESSION_ID, SESSION_EXPIRED_MESSAGE, status=401)
        return user

    def data_request(self, request: Request) -> Reply:
        """Authenticate, route and answer one REST request (errors become error arrays)."""
        try:
            user = self.authenticate(request)
            path = request.path
            if request.query_string:
                path += "?" + request.query_string.decode("latin-1")
            call = self.make_call(
                user,
                request.method,
                path,
                dict(request.headers.items()),
                request.get_data(cache=True),
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
        """A Call for a /services/data/vXX.X/...[?query] path; 404 for an unserved version."""
        bare, _, query = path.partition("?")
        match = _VERSIONED.match(bare)
        settings = self.org.settings
        if match is None or match["minor"] != "0":
            raise not_found()
        version = int(match["major"])
        if not settings.min_api_version <= version <= settings.max_api_version:
            raise not_found()
        rest = (match["rest"] or "/").rstrip("/") or "/"
        return Call(user, method.upper(), version, rest, dict(headers), body, nested, query)

    def route(self, call: Call) -> tuple[str, dict[str, str]]:
        """(endpoint, path arguments) of a call: 501 for an emulator gap, 405, or 404."""
        adapter = self._map.bind("emulator", "/")
        try:
            endpoint, args = adapter.match(call.rest, method=call.method)
        except MethodNotAllowed as exc:
            if _first_segment(call.rest) in _GAP_ON_WRONG_METHOD:
                raise not_implemented(call) from exc
            allowed = ",".join(sorted(exc.valid_methods or ()))
            raise EmulatorError(
                METHOD_NOT_ALLOWED,
                f"HTTP Method '{call.method}' not allowed. Allowed are {allowed}",
                405,
            ) from exc
        except NotFound as exc:
            if _first_segment(call.rest) in _KNOWN_RESOURCES:
                raise not_implemented(call) from exc
            raise not_found() from exc
        return str(endpoint), {k: str(v) for k, v in args.items()}

    def dispatch(self, call: Call, top_level: bool = False) -> Reply:
        """Route one call. At the top level it is charged (composite/batch charge their own)."""
        try:
            endpoint, args = self.route(call)
        except EmulatorError as exc:
            if top_level and exc.status == 404:
                self.org.count_calls(1)
            raise
        if top_level and endpoint not in SELF_CHARGING:
            self.org.count_calls(1)
        reply = self._handlers[endpoint](self, call, args)
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


def _first_segment(rest: str) -> str:
    return rest.strip("/").split("/", 1)[0]


def _etags(header: str) -> list[str]:
    tags = []
    for part in header.split(","):
        tag = part.strip()
        tags.append(tag[2:] if tag.startswith("W/") else tag)
    return tags
