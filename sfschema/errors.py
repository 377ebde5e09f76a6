"""One exception root for everything sfschema raises on purpose.

User mistakes (bad input, unknown objects, unreadable snapshots) are SfschemaError subclasses,
so the CLI can print one clear line for them and never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class SfschemaError(Exception):
    """Root of every error sfschema raises on purpose."""


class DescribeError(SfschemaError):
    """Describe data is missing, malformed, or names something unknown."""


class SnapshotError(DescribeError):
    """A snapshot directory cannot be read or written."""


class CacheError(SfschemaError):
    """The describe cache cannot be used."""


class InvalidIdError(SfschemaError, ValueError):
    """A string is not a valid Salesforce id."""


class SoqlError(SfschemaError):
    """SOQL text or a SOQL value cannot be parsed, rendered or checked."""


class SoqlSyntaxError(SoqlError):
    """SOQL text does not parse; Salesforce would answer MALFORMED_QUERY.

    ``pos`` is the 0-based character offset in ``text``; ``line``/``column`` are 1-based.
    """

    code = "MALFORMED_QUERY"

    def __init__(self, message: str, text: str = "", pos: int | None = None) -> None:
        self.reason = message
        self.text = text
        self.pos = pos
        self.line: int | None = None
        self.column: int | None = None
        if pos is None:
            super().__init__(message)
            return
        self.line = text.count("\n", 0, pos) + 1
        self.column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        super().__init__(f"{message} (at line {self.line}, column {self.column})")


class SoqlCheckError(SoqlError):
    """A query fails its check against the schema; ``diagnostics`` lists every problem."""

    def __init__(self, message: str, diagnostics: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)


class RecordValidationError(SfschemaError):
    """field_values would be rejected by Salesforce (raised by the raising validator variants).

    ``report`` is the ``sfschema.validate.ValidationReport`` listing every problem (None when the
    error was raised without one).
    """

    def __init__(self, message: str, report: Any = None) -> None:
        super().__init__(message)
        self.report = report


class EmulatorError(SfschemaError):
    """The emulator refuses a request as Salesforce would; carries the wire error."""

    def __init__(
        self,
        error_code: str,
        message: str,
        status: int = 400,
        fields: Sequence[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.error_code = error_code
        self.message = message
        self.status = status
        self.fields = list(fields) if fields is not None else None


class SalesforceApiError(SfschemaError):
    """Salesforce (or the emulator) answered a request with an error."""

    def __init__(
        self,
        error_code: str,
        message: str,
        status: int | None = None,
        fields: Sequence[str] = (),
    ) -> None:
        super().__init__(f"{error_code}: {message}")
        self.error_code = error_code
        self.message = message
        self.status = status
        self.fields = list(fields)


class AuthenticationError(SalesforceApiError):
    """Credentials were refused or the session is no longer valid."""


class CodegenError(SfschemaError):
    """Code cannot be generated from the describe data (e.g. a field type with no Python type)."""
