"""Salesforce's answers as sfschema errors: the one place a wire error becomes an exception."""

from __future__ import annotations

from typing import Any

from sfschema.errors import AuthenticationError, SalesforceApiError, SfschemaError
from sfschema.salesforce_errors import (
    INVALID_SESSION_ID,
    REQUEST_LIMIT_EXCEEDED,
    WireError,
    parse_error_array,
)


class RequestLimitExceeded(SalesforceApiError):
    """The org's daily API allowance is spent (REQUEST_LIMIT_EXCEEDED); the job stopped.

    ``results`` holds a WriteResult for every record read so far (a write job), each with its
    own outcome; records in the refused request and after it are ``failed`` with this error.
    """

    results: list[Any]


class ApiBudgetExceeded(SfschemaError):
    """The client's ``max_calls`` budget would be exceeded; nothing more was sent.

    ``results`` holds the WriteResults of the records a write job finished before it stopped.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.results: list[Any] = []


def api_error(status: int | None, body: Any, what: str) -> SalesforceApiError:
    """One SalesforceApiError from an error answer (status + JSON body), naming the request.

    The first entry of Salesforce's error array gives code, message and fields; every entry is
    read. A 401 INVALID_SESSION_ID is an AuthenticationError and a
    REQUEST_LIMIT_EXCEEDED a RequestLimitExceeded.
    """
    errors = parse_error_array(body, status)
    return error_from(errors, what)


def error_from(errors: list[WireError], what: str) -> SalesforceApiError:
    """The exception for parsed wire errors (see ``api_error``)."""
    first = errors[0]
    cls: type[SalesforceApiError] = SalesforceApiError
    if first.error_code == INVALID_SESSION_ID or (first.status == 401):
        cls = AuthenticationError
    elif first.error_code == REQUEST_LIMIT_EXCEEDED:
        cls = RequestLimitExceeded
    error = cls(first.error_code, f"{what}: {first.message}", first.status, first.fields or ())
    if isinstance(error, RequestLimitExceeded):
        error.results = []
    return error
