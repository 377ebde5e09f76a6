"""The one table from model errors to Salesforce error codes, and Salesforce's message wording.

Runtime field types (``sfschema.runtime``) raise ``PydanticCustomError`` whose type already is a
Salesforce error code; pydantic's own error types (``missing``, ``extra_forbidden``,
``string_too_long`` …) are mapped here. Messages follow Salesforce's form: field-level errors are
prefixed with the field LABEL, the API name goes in ``ValidationIssue.field`` (REST API
Developer Guide: Status Codes and Error Responses).

A few checks have no Salesforce error behind them (Salesforce accepts any text into an open
picklist); they carry sfschema's own codes, listed in ``SFSCHEMA_CODES``.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

# -- Salesforce error codes the validator prevents ----------------------------------------------
MALFORMED_ID = "MALFORMED_ID"
FIELD_INTEGRITY_EXCEPTION = "FIELD_INTEGRITY_EXCEPTION"
INVALID_TYPE_ON_FIELD_IN_RECORD = "INVALID_TYPE_ON_FIELD_IN_RECORD"
NUMBER_OUTSIDE_VALID_RANGE = "NUMBER_OUTSIDE_VALID_RANGE"
STRING_TOO_LONG = "STRING_TOO_LONG"
INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
REQUIRED_FIELD_MISSING = "REQUIRED_FIELD_MISSING"
INVALID_FIELD = "INVALID_FIELD"
INVALID_FIELD_FOR_INSERT_UPDATE = "INVALID_FIELD_FOR_INSERT_UPDATE"
INVALID_CROSS_REFERENCE_KEY = "INVALID_CROSS_REFERENCE_KEY"
JSON_PARSER_ERROR = "JSON_PARSER_ERROR"

SALESFORCE_CODES: frozenset[str] = frozenset(
    {
        MALFORMED_ID,
        FIELD_INTEGRITY_EXCEPTION,
        INVALID_TYPE_ON_FIELD_IN_RECORD,
        NUMBER_OUTSIDE_VALID_RANGE,
        STRING_TOO_LONG,
        INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
        REQUIRED_FIELD_MISSING,
        INVALID_FIELD,
        INVALID_FIELD_FOR_INSERT_UPDATE,
        INVALID_CROSS_REFERENCE_KEY,
        JSON_PARSER_ERROR,
    }
)

# -- sfschema's own codes: data-quality checks Salesforce does not make -------------------------
#: An open picklist value that is not among the known values (warning; error when strict).
UNKNOWN_PICKLIST_VALUE = "UNKNOWN_PICKLIST_VALUE"
#: An open picklist value outside the record type's subset (warning; error when strict).
PICKLIST_VALUE_NOT_IN_RECORD_TYPE = "PICKLIST_VALUE_NOT_IN_RECORD_TYPE"
#: A dependent picklist sent without its controlling field: the pair cannot be checked.
DEPENDENT_PICKLIST_UNCHECKED = "DEPENDENT_PICKLIST_UNCHECKED"
#: ``record_type_id`` was given but the payload's own RecordTypeId differs (the payload wins).
RECORD_TYPE_OVERRIDDEN = "RECORD_TYPE_OVERRIDDEN"
#: A number with more significant digits than a JSON number (a float) carries: the payload holds
#: the nearest float, which is not the value given (warning).
PRECISION_LOSS = "PRECISION_LOSS"
#: A number with more decimal places than the field's scale: Salesforce accepts it and stores it
#: rounded to the scale (SOAP API Developer Guide: Field Types), so the stored value is not the
#: value given (warning).
SCALE_ROUNDED = "SCALE_ROUNDED"

SFSCHEMA_CODES: frozenset[str] = frozenset(
    {
        UNKNOWN_PICKLIST_VALUE,
        PICKLIST_VALUE_NOT_IN_RECORD_TYPE,
        DEPENDENT_PICKLIST_UNCHECKED,
        RECORD_TYPE_OVERRIDDEN,
        PRECISION_LOSS,
        SCALE_ROUNDED,
    }
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
    **{code: code for code in SALESFORCE_CODES},
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


# -- messages -----------------------------------------------------------------------------------
_LABELLED: dict[str, str] = {
    MALFORMED_ID: "{label}: id value of incorrect type: {value}",
    FIELD_INTEGRITY_EXCEPTION: "{label}: id value of incorrect type: {value}",
    INVALID_TYPE_ON_FIELD_IN_RECORD: "{label}: value not of required type: {value}",
    NUMBER_OUTSIDE_VALID_RANGE: "{label}: value outside of valid range on numeric field: {value}",
    STRING_TOO_LONG: "{label}: data value too large: {value} (max length={length})",
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: "{label}: bad value for restricted picklist field: "
    "{value}",
    INVALID_CROSS_REFERENCE_KEY: "{label}: this ID value isn't valid for the user: {value}",
    UNKNOWN_PICKLIST_VALUE: "{label}: value not in the picklist's known values: {value}",
    PICKLIST_VALUE_NOT_IN_RECORD_TYPE: "{label}: value not available for record type "
    "{record_type}: {value}",
    DEPENDENT_PICKLIST_UNCHECKED: "{label}: depends on {controller}, which is not in the "
    "payload; the value {value} cannot be checked",
    RECORD_TYPE_OVERRIDDEN: "{label}: the payload sets {value}; record_type_id {record_type} is "
    "ignored",
    PRECISION_LOSS: "{label}: {value} has more digits than a JSON number carries; it would be "
    "sent as {sent}",
    SCALE_ROUNDED: "{label}: {value} has more than {scale} decimal places; Salesforce would "
    "store {stored}",
}


def code_for(error_type: str) -> str:
    """The Salesforce code for a model error type (INVALID_TYPE_ON_FIELD_IN_RECORD by default)."""
    return ERROR_TYPE_TO_CODE.get(error_type, DEFAULT_CODE)


def render_value(value: Any) -> str:
    """A value as Salesforce echoes it in a message (text as is, lists ';'-joined)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(render_value(item) for item in value)
    if isinstance(value, float | Decimal) and math.isfinite(value):
        return format(Decimal(str(value)), "f")  # 1e+17 → 100000000000000000
    return str(value)


def message(code: str, *, name: str, label: str, value: Any = None, **extra: Any) -> str:
    """Salesforce's message for ``code`` on the field ``name`` (labelled ``label``)."""
    if code == REQUIRED_FIELD_MISSING:
        return f"Required fields are missing: [{name}]"
    if code == INVALID_FIELD:
        return f"No such column '{name}' on sobject of type {extra['object_name']}"
    if code == INVALID_FIELD_FOR_INSERT_UPDATE:
        return (
            f"Unable to create/update fields: {name}. Please check the security settings of "
            "this field and verify that it is read/write for your profile or permission set."
        )
    if code == JSON_PARSER_ERROR:
        return str(extra.get("detail", "invalid JSON"))
    template = _LABELLED.get(code, _LABELLED[INVALID_TYPE_ON_FIELD_IN_RECORD])
    return template.format(label=label, value=render_value(value), **extra)
