"""From model errors to Salesforce error codes, and how to fix a value of the wrong type.

Runtime field types (``sfschema.runtime``) raise ``PydanticCustomError`` whose type already is a
Salesforce error code; pydantic's own error types (``missing``, ``extra_forbidden``,
``string_too_long`` …) are mapped here. The codes and Salesforce's wording are in
``sfschema.salesforce_errors`` (field-level errors are prefixed with the field LABEL, the API
name goes in ``ValidationIssue.field``), as are sfschema's own codes for checks Salesforce does
not make (``SFSCHEMA_CODES``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sfschema.salesforce_errors import (
    INVALID_FIELD,
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
    INVALID_TYPE_ON_FIELD_IN_RECORD,
    NUMBER_OUTSIDE_VALID_RANGE,
    RECORD_CODES,
    REQUIRED_FIELD_MISSING,
    STRING_TOO_LONG,
)

# -- model error type → Salesforce code (the ONE table) ----------------------------------------
_NUMBER_RANGE_TYPES = (
    "decimal_max_digits",
    "decimal_whole_digits",
    "less_than",
    "less_than_equal",
    "greater_than",
    "greater_than_equal",
    "int_parsing_size",
)

ERROR_TYPE_TO_CODE: dict[str, str] = {
    # raised by sfschema.runtime types, already Salesforce codes
    **{code: code for code in RECORD_CODES},
    # pydantic's standard error types
    "missing": REQUIRED_FIELD_MISSING,
    "extra_forbidden": INVALID_FIELD,  # refined to INVALID_FIELD_FOR_INSERT_UPDATE via ObjectMeta
    "literal_error": INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
    "enum": INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
    "string_too_long": STRING_TOO_LONG,
    **{kind: NUMBER_OUTSIDE_VALID_RANGE for kind in _NUMBER_RANGE_TYPES},
}
#: Every other model error (wrong type, unparsable date, naive datetime …).
DEFAULT_CODE = INVALID_TYPE_ON_FIELD_IN_RECORD

# -- hints: how to fix a value of the wrong type, by describe type -----------------------------
_EXAMPLE_DATETIME = "2024-01-31T09:30:00Z"
TYPE_HINTS: dict[str, str] = {
    "date": "send a date as YYYY-MM-DD (or a date object)",
    "datetime": f"send a timezone-aware datetime, e.g. {_EXAMPLE_DATETIME}",
    "time": "send a time as HH:MM:SS.sssZ",
    "boolean": "send a checkbox as JSON true or false",
    "int": "send a whole number",
    "long": "send a whole number",
    "double": "send a number",
    "currency": "send a number",
    "percent": "send a number (10 means 10%)",
    "multipicklist": "send a list of values or one 'A;B' string",
    "reference": "send a record id (15 or 18 characters)",
    "id": "send a record id (15 or 18 characters)",
    "base64": "send base64 text or bytes",
}
#: Fallback hints for pydantic's own error types (models not built from sfschema.runtime).
HINTS: dict[str, str] = {
    "timezone_aware": f"a datetime needs a time zone, e.g. {_EXAMPLE_DATETIME}",
    "date_parsing": "send a date as YYYY-MM-DD",
    "bool_parsing": "send a checkbox as JSON true or false",
}


def type_hint(field_type: str, value: Any) -> str:
    """How to send a value of this describe type (naive or unsendable datetimes get their own)."""
    if field_type == "datetime":
        moment = _as_datetime(value)
        if moment is not None and moment.tzinfo is None:
            return f"add a time zone (naive datetimes are not guessed), e.g. {_EXAMPLE_DATETIME}"
        if moment is not None and _no_utc_form(moment):
            return (
                "this time has no UTC form (converted to UTC it falls before the year 1 or after "
                "9999); send a time within the years 1 to 9999"
            )
    return TYPE_HINTS.get(field_type, "send text (a JSON string)")


def _as_datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value) > len("YYYY-MM-DD"):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _no_utc_form(moment: dt.datetime) -> bool:
    try:
        moment.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return True
    return False


def code_for(error_type: str) -> str:
    """The Salesforce code for a model error type (INVALID_TYPE_ON_FIELD_IN_RECORD by default)."""
    return ERROR_TYPE_TO_CODE.get(error_type, DEFAULT_CODE)
