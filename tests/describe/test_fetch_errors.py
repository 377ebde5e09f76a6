"""describe/fetch.py reads Salesforce's error array through sfschema.salesforce_errors."""

from __future__ import annotations

from typing import Any

import pytest

from sfschema.describe.fetch import WireResponse, api_error


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (
            404,
            [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}],
            ("NOT_FOUND", "describe Foo: The requested resource does not exist", 404, []),
        ),
        (
            400,
            [{"errorCode": "INVALID_FIELD", "message": "bad", "fields": ["A", "B"]}],
            ("INVALID_FIELD", "describe Foo: bad", 400, ["A", "B"]),
        ),
        (
            400,
            {"error": "invalid_grant", "error_description": "expired access/refresh token"},
            ("invalid_grant", "describe Foo: expired access/refresh token", 400, []),
        ),
        (
            502,
            "<html>Bad gateway</html>",
            ("UNKNOWN_ERROR", "describe Foo: HTTP 502: not a Salesforce error body", 502, []),
        ),
    ],
)
def test_api_error_reads_the_error_array(status: int, body: Any, expected: tuple[Any]) -> None:
    error = api_error(WireResponse(status, {}, body), "describe Foo")
    assert (error.error_code, error.message, error.status, error.fields) == expected
