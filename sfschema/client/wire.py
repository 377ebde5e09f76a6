"""One request to Salesforce: usage read, errors translated, sessions refreshed, safe retries.

Every request of a Client goes through ``Wire.request``:

* ``Sforce-Limit-Info`` is read from every answer on the session (a requests response hook), so
  ``api_calls`` (calls this session spent: deltas of the org's count) and ``api_usage`` are
  current; crossing 80% of the daily allowance warns once (ApiUsageWarning).
* A 401 INVALID_SESSION_ID refreshes the session once (the Client's refresher: OAuth refresh
  token or the username-password login again) and sends the same request again.
* 5xx answers, timeouts and a request-level UNABLE_TO_LOCK_ROW are retried with bounded
  exponential backoff and jitter — only when sending twice cannot write twice (``idempotent``).
  Otherwise the request's outcome is unknown: OutcomeUnknown, never a second send.
* ``max_calls`` refuses a request that would spend more than the budget (ApiBudgetExceeded).

Sources: "Status Codes and Error Responses", "Limit Info Header" (REST API Developer Guide),
"OAuth 2.0 Refresh Token Flow" (Salesforce Help).
"""

from __future__ import annotations

import json
import random
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from simple_salesforce.api import Salesforce
from urllib3.exceptions import NewConnectionError

from sfschema.client.errors import ApiBudgetExceeded, error_from
from sfschema.errors import AuthenticationError, SfschemaError
from sfschema.salesforce_errors import (
    INVALID_SESSION_ID,
    OUTCOME_UNKNOWN,
    UNABLE_TO_LOCK_ROW,
    WireError,
    parse_error_array,
)

DEFAULT_TIMEOUT = 120.0  # seconds per request: a stalled org must not hang a workflow
WARN_AT = 0.8  # share of the daily allowance that warns

#: Gets a new session: (access token, instance URL) — called with the requests session.
Refresher = Callable[[requests.Session], tuple[str, str]]


class ApiUsageWarning(UserWarning):
    """The org has used 80% or more of its daily API allowance."""


class OutcomeUnknown(SfschemaError):
    """A request that may have written was sent but its answer was lost (timeout, 5xx).

    It is never sent again by sfschema: ``error`` says what happened.
    """

    def __init__(self, error: WireError) -> None:
        super().__init__(f"{error.error_code}: {error.message}")
        self.error = error


@dataclass
class RetryPolicy:
    """Bounded exponential backoff with jitter: ``base * 2**n`` capped at ``cap``, times a
    random factor in [0.5, 1); ``sleep`` and ``seed`` are injectable for tests."""

    attempts: int = 4
    base: float = 0.5
    cap: float = 8.0
    sleep: Callable[[float], None] = time.sleep
    seed: int | None = None
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def delay(self, attempt: int) -> float:
        """Seconds to wait before re-send number ``attempt`` (0-based)."""
        backoff = min(self.cap, self.base * 2.0 ** min(attempt, 30))
        return float(backoff * (0.5 + self._rng.random() / 2))

    def wait(self, attempt: int) -> None:
        self.sleep(self.delay(attempt))


@dataclass(frozen=True)
class Answer:
    """A successful (or expected) answer: status, headers and the JSON body (None if empty)."""

    status: int
    headers: Mapping[str, str]
    body: Any


class Wire:
    """Requests to one org over a ``simple_salesforce.Salesforce``'s session and headers."""

    def __init__(
        self,
        sf: Salesforce,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        refresher: Refresher | None = None,
        retry: RetryPolicy | None = None,
        max_calls: int | None = None,
    ) -> None:
        self.sf = sf
        self.timeout = timeout
        self.refresher = refresher
        self.retry = retry or RetryPolicy()
        self.max_calls = max_calls
        self.api_calls = 0
        self.api_usage: tuple[int, int] | None = None
        self.refreshes = 0
        self._warned = False
        self._observing = False  # the usage hook goes on the session at the first request

    # -- URLs ----------------------------------------------------------------------------------

    @property
    def api_version(self) -> str:
        return str(self.sf.sf_version)

    def data_path(self, rest: str) -> str:
        """``/services/data/vXX.X/<rest>`` (composite subrequest URLs are full paths)."""
        return f"/services/data/v{self.api_version}/{rest.lstrip('/')}"

    def url(self, path: str) -> str:
        """A full URL: ``path`` relative to the REST base, an absolute path, or a URL."""
        if path.startswith(("https://", "http://")):
            return path
        if path.startswith("/"):
            return f"https://{self.sf.sf_instance}{path}"
        return str(self.sf.base_url) + path

    # -- usage ---------------------------------------------------------------------------------

    def _observe(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        limit_info = response.headers.get("Sforce-Limit-Info")
        if not limit_info:
            return
        usage = Salesforce.parse_api_usage(limit_info).get("api-usage")
        if usage is None:
            return
        used, total = int(usage.used), int(usage.total)
        if self.api_usage is None:
            # No earlier count to compare with: a REST request is one call, login is none.
            self.api_calls += 1 if "/services/data/" in (response.url or "") else 0
        else:
            self.api_calls += max(0, used - self.api_usage[0])
        self.api_usage = (used, total)
        if total and used >= WARN_AT * total and not self._warned:
            self._warned = True
            warnings.warn(
                f"the org has used {used} of its {total} daily API calls ({100 * used // total}%)",
                ApiUsageWarning,
                stacklevel=2,
            )

    def check_budget(self, calls: int, what: str) -> None:
        """ApiBudgetExceeded when ``calls`` more would pass ``max_calls``."""
        if self.max_calls is not None and self.api_calls + calls > self.max_calls:
            raise ApiBudgetExceeded(
                f"{what} needs {calls} API call(s); this client has spent {self.api_calls} of "
                f"its max_calls={self.max_calls}: nothing was sent (raise max_calls to allow it)"
            )

    # -- requests ------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = True,
        expected: tuple[int, ...] = (),
        what: str | None = None,
    ) -> Answer:
        """Send one request; 2xx (and ``expected`` statuses) come back as an Answer.

        Errors raise SalesforceApiError (AuthenticationError for a refused session,
        RequestLimitExceeded for a spent allowance); a lost answer to a request that is not
        ``idempotent`` raises OutcomeUnknown.
        """
        what = what or f"{method} {path.split('?', 1)[0]}"
        if not self._observing:
            self.sf.session.hooks.setdefault("response", []).append(self._observe)
            self._observing = True
        attempt = 0
        refreshed = False
        data = None if body is None else json.dumps(body, allow_nan=False).encode()
        while True:
            self.check_budget(1, what)
            send_headers = {**self.sf.headers, **(headers or {})}
            if data is None:
                send_headers.pop("Content-Type", None)
            try:
                response = self.sf.session.request(
                    method,
                    self.url(path),
                    data=data,
                    params=params,
                    headers=send_headers,
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                if _never_connected(exc):
                    raise SfschemaError(
                        f"cannot reach https://{self.sf.sf_instance}: {exc}"
                    ) from exc
                lost = WireError(OUTCOME_UNKNOWN, f"{what}: no answer ({type(exc).__name__})")
                if not idempotent:
                    raise OutcomeUnknown(lost) from exc
                if attempt < self.retry.attempts:
                    self.retry.wait(attempt)
                    attempt += 1
                    continue
                raise SfschemaError(
                    f"{what}: no answer from https://{self.sf.sf_instance} after "
                    f"{attempt + 1} tries: {exc}"
                ) from exc
            status = response.status_code
            if status < 300 or status in expected:
                return Answer(status, dict(response.headers), _json(response, what))
            errors = parse_error_array(_error_body(response), status)
            code = errors[0].error_code
            if status == 401 and not refreshed and self.refresher is not None:
                refreshed = True
                self.refresh()
                continue
            transient = status >= 500 or code == UNABLE_TO_LOCK_ROW
            if transient and (idempotent or code == UNABLE_TO_LOCK_ROW):
                if attempt < self.retry.attempts:
                    self.retry.wait(attempt)
                    attempt += 1
                    continue
            elif status >= 500:
                raise OutcomeUnknown(errors[0])
            error = error_from(errors, what)
            if status == 401 or code == INVALID_SESSION_ID:
                fix = (
                    "the session was refreshed and refused again"
                    if refreshed
                    else "give the client a refresh token or username/password "
                    "(SF_REFRESH_TOKEN + SF_CLIENT_ID, or SF_USERNAME/SF_PASSWORD), "
                    "or a fresh SF_ACCESS_TOKEN"
                )
                raise AuthenticationError(
                    error.error_code, f"{error.message} ({fix})", status, error.fields
                )
            raise error

    def refresh(self) -> None:
        """A new session from the refresher; the Salesforce object's headers follow it."""
        if self.refresher is None:
            raise AuthenticationError(INVALID_SESSION_ID, "the session has no way to refresh")
        try:
            token, instance_url = self.refresher(self.sf.session)
        except requests.RequestException as exc:
            raise SfschemaError(f"cannot refresh the session: {exc}") from exc
        self.refreshes += 1
        sf = self.sf
        sf.session_id = token
        sf.headers = {**sf.headers, "Authorization": "Bearer " + token}
        if instance_url:
            parts = urlsplit(instance_url)
            host = parts.hostname or sf.sf_instance
            if parts.port not in (None, 443):
                host += f":{parts.port}"
            sf.sf_instance = host
            sf.base_url = f"https://{host}/services/data/v{sf.sf_version}/"


def _never_connected(exc: requests.RequestException) -> bool:
    """True when no connection was made (nothing can have been sent)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError)


def _json(response: requests.Response, what: str) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except (ValueError, RecursionError) as exc:
        raise SfschemaError(
            f"{what}: the answer is not JSON ({response.headers.get('Content-Type')})"
        ) from exc


def _error_body(response: requests.Response) -> Any:
    try:
        return response.json()
    except (ValueError, RecursionError):
        return response.text[:500]
