"""What validation found: issues (errors and warnings) and the payload ready to send."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic_core import to_jsonable_python

from sfschema.errors import RecordValidationError
from sfschema.salesforce_errors import echo_value

Operation = Literal["create", "update"]


@dataclass(frozen=True)
class ValidationIssue:
    """One problem with one field.

    ``code`` is the Salesforce error code the request would have earned (or, for checks
    Salesforce itself does not make, one of ``sfschema.salesforce_errors.SFSCHEMA_CODES``);
    ``message`` is worded as Salesforce words it; ``suggestion`` is a replacement the caller can
    use verbatim (a picklist value, a field name) and ``hint`` says in words how to fix it.
    """

    field: str
    code: str
    message: str
    value: Any = None
    suggestion: str | None = None
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict (the input value is rendered as JSON would carry it)."""
        return {
            "field": self.field,
            "code": self.code,
            "message": self.message,
            "value": json_safe(self.value),
            "suggestion": self.suggestion,
            "hint": self.hint,
        }

    def render(self) -> str:
        """One or two readable lines: the message, then the fix when there is one."""
        text = f"{self.field}: {self.code}: {self.message}"
        fixes = []
        if self.suggestion is not None:
            fixes.append(f"did you mean {self.suggestion!r}?")
        if self.hint:
            fixes.append(self.hint)
        if fixes:
            text += "\n    → " + " ".join(fixes)
        return text


@dataclass(slots=True)
class ValidationReport:
    """The outcome of validating one record's field values for one operation.

    ``payload`` is what to send (JSON-safe, ids as 18 characters); it is empty when there are
    errors, because nothing should be sent then. Treat a report as read-only (it is not frozen
    only because a frozen dataclass costs 0.5 µs more per record on the fast path).
    """

    object_name: str
    operation: Operation
    payload: dict[str, Any] = field(default_factory=dict)
    errors: tuple[ValidationIssue, ...] = ()
    warnings: tuple[ValidationIssue, ...] = ()
    record_id: str | None = None
    record_type_id: str | None = None

    @property
    def ok(self) -> bool:
        """True when Salesforce would accept the request (warnings allowed)."""
        return not self.errors

    def raise_for_errors(self) -> ValidationReport:
        """Return self when ok, else raise RecordValidationError carrying this report."""
        if self.errors:
            raise RecordValidationError(self.summary() + "\n" + self.render(), report=self)
        return self

    def summary(self) -> str:
        """'Opportunity update 006…: 2 errors, 1 warning' (or '…: valid')."""
        target = f"{self.object_name} {self.operation}"
        if self.record_id:
            target += f" {self.record_id}"
        if not self.errors and not self.warnings:
            return f"{target}: valid"
        counts = [_plural(len(self.errors), "error"), _plural(len(self.warnings), "warning")]
        return f"{target}: " + ", ".join(counts)

    def render(self) -> str:
        """The issues, errors first, one block each (no summary line)."""
        lines = [f"error   {issue.render()}" for issue in self.errors]
        lines += [f"warning {issue.render()}" for issue in self.warnings]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The whole report as JSON-safe data."""
        return {
            "object": self.object_name,
            "operation": self.operation,
            "record_id": self.record_id,
            "record_type_id": self.record_type_id,
            "ok": self.ok,
            "payload": self.payload,
            "errors": [issue.to_json() for issue in self.errors],
            "warnings": [issue.to_json() for issue in self.warnings],
        }

    def __str__(self) -> str:
        body = self.render()
        return self.summary() + ("\n" + body if body else "")


def json_safe(value: Any) -> Any:
    """Any input value as JSON-safe data: unknown objects become their repr, and what JSON
    cannot carry (nan, ints beyond Python's 4,300-digit limit, nesting deeper than the encoder
    goes, a repr that fails) the text a message shows for it (``echo_value``, bounded)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        value = _plain_number(value)  # a subclass's own text is not its value
    try:
        return json.loads(json.dumps(to_jsonable_python(value, fallback=_repr), allow_nan=False))
    except (TypeError, ValueError, RecursionError):
        return echo_value(value)


def _plain_number(value: int | float | Decimal) -> int | float | Decimal:
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    return Decimal(value)


def _repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception:  # any object's __repr__ may fail; its text still shows
        return echo_value(value)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
