"""/composite and /composite/batch (REST API Developer Guide: "Composite", "Composite
Subrequest", "Composite Response Body", "Batch").

/composite always answers 200 with one entry per subrequest and counts as ONE API call; at most
``MAX_COMPOSITE_COLLECTION_OR_QUERY`` of its subrequests may be sObject Collections or
query/queryAll. Later subrequests refer to earlier answers with ``@{ref.id}``,
``@{ref.records[0].Id}``, ``@{ref.nextRecordsUrl}`` (a JSON path into the body). With allOrNone a
failure rolls every write back and the other subrequests answer PROCESSING_HALTED.
/composite/batch answers 200 with ``hasErrors`` and counts each subrequest. Resources the
emulator cannot serve refuse the whole request (501) instead of answering something made up.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from sfschema.emulator.http import Call, Reply, error_reply
from sfschema.emulator.settings import MAX_COMPOSITE_COLLECTION_OR_QUERY
from sfschema.errors import EmulatorError
from sfschema.salesforce_errors import (
    BATCH_PROCESSING_HALTED,
    EMULATOR_NOT_IMPLEMENTED,
    INVALID_INPUT,
    PROCESSING_HALTED,
    PROCESSING_HALTED_MESSAGE,
)

if TYPE_CHECKING:
    from sfschema.emulator.wire import WireApp

FORBIDDEN_SUBREQUEST_HEADERS = ("accept", "authorization", "content-type")
SUBREQUEST_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")
_REFERENCE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REFERENCE = "@{"
_EXPRESSION = re.compile(r"@\{([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}")
_STEP = re.compile(r"\.([A-Za-z0-9_]+)|\[(\d+)\]")
# Response headers a subrequest reports in its httpHeaders.
_SUBREQUEST_HEADERS = ("ETag", "Last-Modified", "Location")


def _invalid(message: str, code: str = INVALID_INPUT) -> EmulatorError:
    return EmulatorError(code, message, 400)


def _subrequest_reply(app: WireApp, call: Call) -> Reply:
    try:
        return app.dispatch(call)
    except EmulatorError as exc:
        if exc.status == 501:
            raise
        return error_reply(exc)


def _too_many(app: WireApp, count: int, limit: int) -> EmulatorError:
    settings = app.org.settings
    return _invalid(
        settings.too_many_subrequests_message.format(count=count, limit=limit),
        settings.too_many_subrequests_code,
    )


def _refuse_references(where: str, *parts: Any) -> None:
    if any(_REFERENCE in json.dumps(part) for part in parts):
        raise EmulatorError(
            EMULATOR_NOT_IMPLEMENTED,
            f"The sfschema emulator does not implement @{{reference}} expressions in {where}",
            501,
        )


def _heavy(url: str) -> bool:
    """An sObject Collections or query/queryAll subrequest (the ones limited to 5)."""
    parts = url.split("?", 1)[0].strip("/").split("/")
    rest = parts[3:] if parts[:2] == ["services", "data"] else parts
    return rest[:1] in (["query"], ["queryAll"]) or rest[:2] == ["composite", "sobjects"]


class _Unresolved(Exception):
    """A reference to a subrequest that failed, was not run, or has no such value."""

    def __init__(self, expression: str) -> None:
        super().__init__(expression)
        self.expression = expression


def _lookup(bodies: dict[str, Any], name: str, path: str, expression: str) -> Any:
    if name not in bodies:
        raise _Unresolved(expression)
    value = bodies[name]
    for key, index in _STEP.findall(path):
        if key and isinstance(value, dict) and key in value:
            value = value[key]
        elif index and isinstance(value, list) and int(index) < len(value):
            value = value[int(index)]
        else:
            raise _Unresolved(expression)
    if isinstance(value, dict | list) or value is None:
        raise _Unresolved(expression)
    return value


def _resolve(value: Any, bodies: dict[str, Any]) -> Any:
    """``value`` with every @{ref.path} replaced by the value in the earlier answer."""
    if isinstance(value, str):
        whole = _EXPRESSION.fullmatch(value)
        if whole is not None:
            return _lookup(bodies, whole.group(1), whole.group(2), value)
        return _EXPRESSION.sub(
            lambda m: str(_lookup(bodies, m.group(1), m.group(2), m.group(0))), value
        )
    if isinstance(value, dict):
        return {key: _resolve(item, bodies) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, bodies) for item in value]
    return value


def composite(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """POST /composite: subrequests in order, per-subrequest status, always HTTP 200."""
    body = call.json_body()
    requests = body.get("compositeRequest") if isinstance(body, dict) else None
    if not isinstance(requests, list):
        raise _invalid("compositeRequest: required field is missing or not a list")
    limit = app.org.settings.max_composite_subrequests
    if len(requests) > limit:
        raise _too_many(app, len(requests), limit)
    all_or_none = bool(body.get("allOrNone", False))
    items = [_composite_item(app, item, index) for index, item in enumerate(requests)]
    seen: set[str] = set()
    for item in items:
        if item["referenceId"] in seen:
            raise _invalid(f"Duplicate referenceId provided in the request: {item['referenceId']}")
        seen.add(item["referenceId"])
    heavy = sum(1 for item in items if _heavy(item["url"]))
    if heavy > MAX_COMPOSITE_COLLECTION_OR_QUERY:
        raise _too_many(app, heavy, MAX_COMPOSITE_COLLECTION_OR_QUERY)
    records = app.org.records
    savepoint = records.savepoint()
    results: list[dict[str, Any]] = []
    bodies: dict[str, Any] = {}
    written: list[str] = []
    failed = False
    for item in items:
        reference_id = item["referenceId"]
        if failed and all_or_none:
            results.append(_halted(reference_id))
            continue
        try:
            url = _resolve(item["url"], bodies)
            sub_body = _resolve(item["body"], bodies)
        except _Unresolved as exc:
            failed = True
            message = app.org.settings.unresolved_reference_message
            results.append(_halted(reference_id, message.format(expression=exc.expression)))
            continue
        try:
            reply = app.dispatch(_subrequest(app, call, item, str(url), sub_body))
        except EmulatorError as exc:
            if exc.status != 501:
                reply = error_reply(exc)
            else:  # an emulator gap refuses the whole request
                records.rollback(savepoint)
                raise EmulatorError(
                    exc.error_code,
                    f"composite subrequest '{reference_id}': {exc.message}",
                    exc.status,
                ) from exc
        failed = failed or reply.status >= 400
        if reply.status < 400:
            bodies[reference_id] = reply.body
            written += reply.written
        results.append(_composite_entry(reference_id, reply))
    if failed and all_or_none:
        records.rollback(savepoint)
        written = []
        results = [
            entry if entry["httpStatusCode"] >= 400 else _halted(entry["referenceId"])
            for entry in results
        ]
    return Reply(200, {"compositeResponse": results}, written=tuple(written))


def _composite_item(app: WireApp, item: Any, index: int) -> dict[str, Any]:
    """A checked subrequest: referenceId, method, url, headers and body (references kept)."""
    if not isinstance(item, dict):
        raise _invalid(f"compositeRequest[{index}]: each subrequest must be a JSON object")
    reference_id = item.get("referenceId")
    method = item.get("method")
    url = item.get("url")
    headers = item.get("httpHeaders") or {}
    if not isinstance(reference_id, str) or not _REFERENCE_ID.match(reference_id):
        raise _invalid(
            f"compositeRequest[{index}]: referenceId {reference_id!r} must start with a letter "
            "or underscore and hold only letters, digits and underscores"
        )
    if method not in SUBREQUEST_METHODS:
        raise _invalid(
            f"compositeRequest[{index}]: method {method!r} must be one of "
            + ", ".join(SUBREQUEST_METHODS)
        )
    # A url may be one reference, e.g. @{page1.nextRecordsUrl} ("You can reference the
    # referenceId in either the body or URL of a subrequest": Composite Subrequest); the
    # resolved url is routed like any other (a path outside /services/data is NOT_FOUND).
    if not isinstance(url, str) or not url.startswith(("/services/data/v", "@{")):
        raise _invalid(
            f"compositeRequest[{index}]: url {url!r} must be a full path starting with "
            "/services/data/vXX.X/"
        )
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise _invalid(f"compositeRequest[{index}]: httpHeaders must map names to strings")
    for name in headers:
        if name.lower() in FORBIDDEN_SUBREQUEST_HEADERS:
            settings = app.org.settings
            raise _invalid(
                settings.forbidden_header_message.format(header=name),
                settings.forbidden_header_code,
            )
    if url.split("?", 1)[0].rstrip("/").split("/")[4:5] == ["composite"] and not _heavy(url):
        raise _invalid(f"compositeRequest[{index}]: composite resources cannot be nested")
    return {
        "referenceId": reference_id,
        "method": method,
        "url": url,
        "headers": headers,
        "body": item.get("body"),
    }


def _subrequest(app: WireApp, parent: Call, item: dict[str, Any], url: str, body: Any) -> Call:
    payload = json.dumps(body).encode() if body is not None else b""
    return app.make_call(parent.user, item["method"], url, item["headers"], payload, nested=True)


def _composite_entry(reference_id: str, reply: Reply) -> dict[str, Any]:
    headers = {name: reply.headers[name] for name in _SUBREQUEST_HEADERS if name in reply.headers}
    return {
        "body": None if reply.status in (204, 304) else reply.body,
        "httpHeaders": headers,
        "httpStatusCode": reply.status,
        "referenceId": reference_id,
    }


def _halted(reference_id: str, message: str = PROCESSING_HALTED_MESSAGE) -> dict[str, Any]:
    return {
        "body": [{"errorCode": PROCESSING_HALTED, "message": message}],
        "httpHeaders": {},
        "httpStatusCode": 400,
        "referenceId": reference_id,
    }


def batch(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """POST /composite/batch: independent subrequests, each counted as an API call."""
    try:
        body = call.json_body()
        requests = body.get("batchRequests") if isinstance(body, dict) else None
        if not isinstance(requests, list):
            raise _invalid("batchRequests: required field is missing or not a list")
        limit = app.org.settings.max_batch_subrequests
        if len(requests) > limit:
            raise _too_many(app, len(requests), limit)
        calls = [_batch_call(app, call, item, index) for index, item in enumerate(requests)]
    except EmulatorError:
        app.org.count_calls(1)
        raise
    app.org.count_calls(max(len(calls), 1))
    halt = bool(body.get("haltOnError", False))
    results: list[dict[str, Any]] = []
    has_errors = False
    for sub in calls:
        if has_errors and halt:
            message = app.org.settings.batch_halted_message
            results.append(
                {
                    "result": [{"errorCode": BATCH_PROCESSING_HALTED, "message": message}],
                    "statusCode": 412,
                }
            )
            continue
        reply = _subrequest_reply(app, sub)
        has_errors = has_errors or reply.status >= 400
        result = None if reply.status in (204, 304) else reply.body
        results.append({"result": result, "statusCode": reply.status})
    return Reply(200, {"hasErrors": has_errors, "results": results})


def _batch_call(app: WireApp, parent: Call, item: Any, index: int) -> Call:
    if not isinstance(item, dict):
        raise _invalid(f"batchRequests[{index}]: each subrequest must be a JSON object")
    method = item.get("method")
    url = item.get("url")
    if method not in SUBREQUEST_METHODS:
        raise _invalid(
            f"batchRequests[{index}]: method {method!r} must be one of "
            + ", ".join(SUBREQUEST_METHODS)
        )
    if not isinstance(url, str) or not (url.startswith("v") or url.startswith("/services/data/v")):
        raise _invalid(
            f"batchRequests[{index}]: url {url!r} must start with the version, e.g. "
            "v59.0/sobjects/Account/describe"
        )
    _refuse_references(f"batchRequests[{index}]", url, item.get("richInput"))
    path = url if url.startswith("/") else f"/services/data/{url}"
    if path.split("?", 1)[0].rstrip("/").split("/")[4:5] == ["composite"]:
        raise _invalid(f"batchRequests[{index}]: composite resources cannot be nested")
    rich = item.get("richInput")
    body = json.dumps(rich).encode() if rich is not None else b""
    return app.make_call(parent.user, method, path, {}, body, nested=True)
