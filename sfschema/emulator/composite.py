"""/composite and /composite/batch (REST API Developer Guide: Composite, Composite Batch).

/composite always answers 200 with one entry per subrequest and counts as ONE API call;
/composite/batch answers 200 with ``hasErrors`` and counts each subrequest. Subrequests run
through the same routes as top-level requests. What the emulator cannot do yet (``@{ref}``
references, resources it does not implement) refuses the whole request with a clear error
instead of answering something made up.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sfschema.emulator.wire import NOT_IMPLEMENTED, Call, Reply, WireApp, error_reply, route
from sfschema.errors import EmulatorError

FORBIDDEN_SUBREQUEST_HEADERS = ("accept", "authorization", "content-type")
SUBREQUEST_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")
_REFERENCE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REFERENCE = "@{"
PROCESSING_HALTED = (
    "The transaction was rolled back since another operation in the same transaction failed."
)
# Response headers a subrequest reports in its httpHeaders.
_SUBREQUEST_HEADERS = ("ETag", "Last-Modified", "Location")


def _invalid(message: str, code: str = "INVALID_INPUT") -> EmulatorError:
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
            NOT_IMPLEMENTED,
            f"The sfschema emulator does not implement @{{reference}} expressions yet ({where})",
            501,
        )


@route("/composite", "composite", methods=("POST",))
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
    calls = [_composite_call(app, call, item, index) for index, item in enumerate(requests)]
    seen: set[str] = set()
    for reference_id, _ in calls:
        if reference_id in seen:
            raise _invalid(f"Duplicate referenceId provided in the request: {reference_id}")
        seen.add(reference_id)
    results: list[dict[str, Any]] = []
    failed = False
    for reference_id, sub in calls:
        if failed and all_or_none:
            results.append(_halted(reference_id))
            continue
        try:
            reply = _subrequest_reply(app, sub)
        except EmulatorError as exc:
            raise EmulatorError(
                exc.error_code, f"composite subrequest '{reference_id}': {exc.message}", exc.status
            ) from exc
        failed = failed or reply.status >= 400
        results.append(_composite_entry(reference_id, reply))
    if failed and all_or_none:
        results = [
            entry if entry["httpStatusCode"] >= 400 else _halted(entry["referenceId"])
            for entry in results
        ]
    return Reply(200, {"compositeResponse": results})


def _composite_call(app: WireApp, parent: Call, item: Any, index: int) -> tuple[str, Call]:
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
    if not isinstance(url, str) or not url.startswith("/services/data/v"):
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
    _refuse_references(f"subrequest '{reference_id}'", url, item.get("body"))
    if url.split("?", 1)[0].rstrip("/").split("/")[4:5] == ["composite"]:
        raise _invalid(f"compositeRequest[{index}]: composite resources cannot be nested")
    body = json.dumps(item["body"]).encode() if item.get("body") is not None else b""
    return reference_id, app.make_call(parent.user, method, url, headers, body, nested=True)


def _composite_entry(reference_id: str, reply: Reply) -> dict[str, Any]:
    headers = {name: reply.headers[name] for name in _SUBREQUEST_HEADERS if name in reply.headers}
    return {
        "body": None if reply.status in (204, 304) else reply.body,
        "httpHeaders": headers,
        "httpStatusCode": reply.status,
        "referenceId": reference_id,
    }


def _halted(reference_id: str) -> dict[str, Any]:
    return {
        "body": [{"errorCode": "PROCESSING_HALTED", "message": PROCESSING_HALTED}],
        "httpHeaders": {},
        "httpStatusCode": 400,
        "referenceId": reference_id,
    }


@route("/composite/batch", "batch", methods=("POST",))
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
                    "result": [{"errorCode": "BATCH_PROCESSING_HALTED", "message": message}],
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
