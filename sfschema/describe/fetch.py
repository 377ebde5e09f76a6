"""Fetch describes over any Salesforce connection: global describe, then object describes
batched 25 to a ``/composite`` request (one API call per 25 objects), revalidated with
If-Modified-Since per subrequest (the server's Last-Modified, never the local clock).

The connection is a ``Transport`` (a protocol): ``sfschema.client`` implements it over
simple-salesforce, so this module never imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from sfschema.errors import DescribeError, SalesforceApiError
from sfschema.salesforce_errors import parse_error_array

COMPOSITE_LIMIT = 25


@dataclass(frozen=True)
class WireResponse:
    status: int
    headers: Mapping[str, str]
    body: Any


@dataclass(frozen=True)
class Identity:
    """Who is asking: describe reflects this user's field-level security."""

    org_id: str
    user_id: str
    instance_url: str


class Transport(Protocol):
    """A Salesforce REST connection. Paths are relative to ``/services/data/vXX.X/``."""

    @property
    def api_version(self) -> str: ...

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> WireResponse: ...

    def post(self, path: str, body: Any) -> WireResponse: ...

    def identity(self) -> Identity: ...

    def api_usage(self) -> int | None:
        """Calls used so far by the org, from the last Sforce-Limit-Info header seen."""
        ...


Outcome = Literal["fetched", "unchanged"]


@dataclass(frozen=True)
class DescribeResult:
    name: str
    outcome: Outcome
    payload: Any | None
    last_modified: str | None


@dataclass
class CallMeter:
    """API calls spent, read from Sforce-Limit-Info around a piece of work."""

    transport: Transport
    requests: int = 0
    _first: int | None = field(default=None, init=False)

    def record(self) -> None:
        self.requests += 1
        if self._first is None:
            self._first = self.transport.api_usage()

    @property
    def calls(self) -> int:
        """Calls counted by the org between our first and last request (inclusive)."""
        last = self.transport.api_usage()
        if self._first is None or last is None:
            return 0
        return last - self._first + 1


def fetch_global(
    transport: Transport, meter: CallMeter, if_modified_since: str | None = None
) -> tuple[Any | None, str | None]:
    """GET /sobjects/; returns (payload or None when unchanged, Last-Modified)."""
    headers = {"If-Modified-Since": if_modified_since} if if_modified_since else None
    response = transport.get("sobjects/", headers=headers)
    meter.record()
    last_modified = _header(response.headers, "Last-Modified") or _header(response.headers, "Date")
    if response.status == 304:
        return None, if_modified_since
    if response.status != 200:
        raise api_error(response, "global describe")
    return response.body, last_modified


def fetch_describes(
    transport: Transport,
    wanted: Sequence[tuple[str, str | None]],
    meter: CallMeter,
    on_progress: Callable[[int], None] | None = None,
) -> list[DescribeResult]:
    """Describe objects through /composite, 25 per call.

    ``wanted`` holds (object name, Last-Modified of the cached copy or None). A 304 is success:
    the caller keeps its cached payload.
    """
    results: list[DescribeResult] = []
    for start in range(0, len(wanted), COMPOSITE_LIMIT):
        chunk = wanted[start : start + COMPOSITE_LIMIT]
        body = {"allOrNone": False, "compositeRequest": list(_subrequests(transport, chunk))}
        response = transport.post("composite", body)
        meter.record()
        if response.status != 200 or not isinstance(response.body, dict):
            raise api_error(response, "composite describe")
        items = response.body.get("compositeResponse")
        by_ref = {
            item.get("referenceId"): item
            for item in (items if isinstance(items, list) else [])
            if isinstance(item, dict)
        }
        for index, (name, since) in enumerate(chunk):
            item = by_ref.get(f"d{index}")
            if item is None:
                raise DescribeError(f"composite response has no result for {name}")
            results.append(_result(name, since, item))
        if on_progress is not None:
            on_progress(len(chunk))
    return results


def _subrequests(
    transport: Transport, chunk: Iterable[tuple[str, str | None]]
) -> Iterable[dict[str, Any]]:
    for index, (name, since) in enumerate(chunk):
        request: dict[str, Any] = {
            "method": "GET",
            "url": f"/services/data/v{transport.api_version}/sobjects/{name}/describe",
            "referenceId": f"d{index}",
        }
        if since:
            request["httpHeaders"] = {"If-Modified-Since": since}
        yield request


def _result(name: str, since: str | None, item: Mapping[str, Any]) -> DescribeResult:
    status = item.get("httpStatusCode")
    status = status if type(status) is int and 100 <= status <= 599 else 0
    headers = item.get("httpHeaders")
    headers = headers if isinstance(headers, dict) else {}
    last_modified = _header(headers, "Last-Modified")
    if status == 304:
        return DescribeResult(name, "unchanged", None, last_modified or since)
    if status == 200 and isinstance(item.get("body"), dict):
        return DescribeResult(name, "fetched", item["body"], last_modified)
    raise api_error(WireResponse(status, headers, item.get("body")), f"describe {name}")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == lowered:
            return value if isinstance(value, str) else None
    return None


def api_error(response: WireResponse, what: str) -> SalesforceApiError:
    """The first entry of Salesforce's error array, as a SalesforceApiError naming ``what``."""
    first = parse_error_array(response.body, response.status)[0]
    return SalesforceApiError(
        first.error_code, f"{what}: {first.message}", response.status, first.fields or ()
    )
