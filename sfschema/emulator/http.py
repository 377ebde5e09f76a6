"""HTTP basics of the emulator: a Call (one REST request or composite subrequest), a Reply, and
Salesforce's error replies. A leaf: handlers, the route table and the WSGI app all build on it.

>>> error_reply(EmulatorError(NOT_FOUND, NOT_FOUND_MESSAGE, 404)).body
[{'message': 'The requested resource does not exist', 'errorCode': 'NOT_FOUND'}]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from sfschema.emulator.users import User
from sfschema.errors import EmulatorError
from sfschema.salesforce_errors import (
    EMULATOR_NOT_IMPLEMENTED,
    JSON_PARSER_ERROR,
    NOT_FOUND,
    NOT_FOUND_MESSAGE,
    WireError,
    error_array,
)

JSON_TYPE = "application/json;charset=UTF-8"
#: The in-process adapter marks its requests with this environ key; a reply whose answer is
#: lost (an injected timeout) then carries TIMEOUT_HEADER and the adapter raises
#: requests.ReadTimeout instead of answering.
IN_PROCESS_KEY = "sfschema.in_process"
TIMEOUT_HEADER = "X-Sfschema-Injected-Timeout"
#: Nesting deeper than this in a request body is refused (bounded work whatever the input).
MAX_JSON_DEPTH = 64


@dataclass
class Reply:
    """A response before it becomes HTTP: JSON body (or raw bytes), status and headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = JSON_TYPE
    #: Ids of the records this request wrote (the request log shows them).
    written: tuple[str, ...] = ()

    def payload_bytes(self) -> bytes:
        if self.raw is not None:
            return self.raw
        if self.status in (204, 304):
            return b""
        return json.dumps(self.body, ensure_ascii=False).encode()


class RecordErrors(EmulatorError):
    """A record refused with one or more errors (each with ``fields``), as DML answers."""

    def __init__(self, errors: list[WireError], status: int = 400) -> None:
        first = errors[0]
        super().__init__(first.error_code, first.message, status, first.fields or ())
        self.errors = [WireError(e.error_code, e.message, status, e.fields) for e in errors]


def wire_error(exc: EmulatorError) -> WireError:
    """The WireError of an EmulatorError."""
    fields = tuple(exc.fields) if exc.fields is not None else None
    return WireError(exc.error_code, exc.message, exc.status, fields)


def error_reply(exc: EmulatorError) -> Reply:
    """Salesforce's error array: ``[{"message", "errorCode"[, "fields"]}]`` with the status."""
    if isinstance(exc, RecordErrors):
        return Reply(exc.status, error_array(exc.errors))
    return Reply(exc.status, error_array([wire_error(exc)]))


def not_found() -> EmulatorError:
    """Salesforce's answer for an unknown (or invisible) resource."""
    return EmulatorError(NOT_FOUND, NOT_FOUND_MESSAGE, 404)


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

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)

    def json_body(self) -> Any:
        """The body as JSON; bad JSON (too deep, an int of too many digits …) is a 400."""
        try:
            parsed = json.loads(self.body or b"null")
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
        if _depth(parsed) > MAX_JSON_DEPTH:
            raise EmulatorError(
                JSON_PARSER_ERROR, "Invalid JSON in request body: nested too deeply"
            )
        return parsed

    def args(self) -> dict[str, str]:
        """Query-string parameters (the last value of a repeated name)."""
        return dict(parse_qsl(self.query, keep_blank_values=True))

    def param(self, name: str) -> str | None:
        """A query-string parameter (the last one of that name), decoded."""
        found = None
        for key, value in parse_qsl(self.query, keep_blank_values=True):
            if key == name:
                found = value
        return found

    @property
    def base(self) -> str:
        """``/services/data/vXX.X`` of this call."""
        return f"/services/data/v{self.version}.0"


def not_implemented(call: Call) -> EmulatorError:
    """501: a resource Salesforce has that the emulator does not serve (never charged)."""
    return EmulatorError(
        EMULATOR_NOT_IMPLEMENTED,
        f"The sfschema emulator does not implement {call.method} {call.base}{call.rest} yet",
        501,
    )


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON (iterative: no recursion limit to hit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            return depth
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest
