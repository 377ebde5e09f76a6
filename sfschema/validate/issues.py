"""Issues: Salesforce's wording for each problem, built from model errors or from ObjectMeta.

``from_model_error`` is where pydantic errors meet the one code table in ``codes``; the other
builders are shared by the rule layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic_core import ErrorDetails

from sfschema import ids
from sfschema.errors import InvalidIdError
from sfschema.runtime.meta import FieldMeta
from sfschema.runtime.numeric import exact_rounding
from sfschema.salesforce_errors import (
    FIELD_INTEGRITY_EXCEPTION,
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
    INVALID_TYPE_ON_FIELD_IN_RECORD,
    JSON_PARSER_ERROR,
    MALFORMED_ID,
    NUMBER_OUTSIDE_VALID_RANGE,
    PRECISION_LOSS,
    REQUIRED_FIELD_MISSING,
    SCALE_ROUNDED,
    STRING_TOO_LONG,
    echo_value,
    record_message,
)
from sfschema.salesforce_errors import (
    duplicate_field as duplicate_field_text,
)
from sfschema.suggest import close_matches
from sfschema.validate import codes
from sfschema.validate.report import Operation, ValidationIssue

if TYPE_CHECKING:
    from sfschema.validate.rules import ObjectRules

_HINT_VALUES_SHOWN = 12


def from_model_error(
    rules: ObjectRules, operation: Operation, error: ErrorDetails, sent: Mapping[str, Any]
) -> list[ValidationIssue]:
    """The issues of one pydantic error (via the one table in ``codes``).

    The value reported is the value as sent (not pydantic's converted input); a restricted
    multi-select picklist gives one issue per bad value.
    """
    loc = error["loc"]
    name = str(loc[0]) if loc else ""
    described = rules.meta.field(name)
    kind = error["type"]
    if described is None:
        return [rules.unknown_field(name, error.get("input"))]
    value = sent.get(described.name, error.get("input"))
    if kind == "missing":
        return [rules.required_missing(described)]
    if kind == "extra_forbidden":
        return [rules.not_writable(described, operation, value)]
    code = codes.code_for(kind)
    if value is None or (code == REQUIRED_FIELD_MISSING and value in ("", [], ())):
        # "" is stored as null, so it is refused like None (the model said which fields)
        return [rules.null_not_allowed(described, value)]
    if code == INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:
        known = frozenset(described.values)
        items = split_values(value) if described.type == "multipicklist" else [value]
        bad = [item for item in items if isinstance(item, str) and item not in known]
        if bad:
            return [picklist_issue(described, code, item, known) for item in bad]
    return [
        ValidationIssue(
            field=described.name,
            code=code,
            message=record_message(
                code,
                name=described.name,
                label=described.label,
                value=value,
                length=described.length,
            ),
            value=value,
            hint=_hint(described, code, kind, value, error),
        )
    ]


def _hint(
    described: FieldMeta, code: str, kind: str, value: Any, error: ErrorDetails
) -> str | None:
    if code == MALFORMED_ID:
        try:
            ids.to18(value)
        except InvalidIdError as exc:
            return str(exc)
    if code == FIELD_INTEGRITY_EXCEPTION and described.reference_to:
        return reference_hint(described, value)
    if code == STRING_TOO_LONG:
        length = len(echo_value(value))
        return f"at most {described.length} characters; this value has {length}"
    if code == NUMBER_OUTSIDE_VALID_RANGE:
        if described.type in ("int", "long"):
            return f"at most {described.digits} digits"
        left = described.precision - described.scale
        return f"at most {left} digits before the decimal point"
    if code == INVALID_TYPE_ON_FIELD_IN_RECORD:
        return codes.type_hint(described.type, value)
    return codes.HINTS.get(kind) or error.get("msg")


def duplicate_field(described: FieldMeta, key: str, value: Any) -> ValidationIssue:
    """JSON_PARSER_ERROR for a field named twice (names ignore case)."""
    return ValidationIssue(
        field=described.name,
        code=JSON_PARSER_ERROR,
        message=record_message(
            JSON_PARSER_ERROR,
            name=described.name,
            label=described.label,
            detail=duplicate_field_text(described.name),
        ),
        value=value,
        hint=f"{key!r} names {described.name} again (field names ignore case); keep one",
    )


def precision_loss_issue(
    described: FieldMeta, shown: Any, value: Decimal, sent: float
) -> ValidationIssue:
    """PRECISION_LOSS: the nearest JSON number to ``value`` is ``sent``, which is not ``value``."""
    rounded = exact_rounding(value)
    if rounded is None:
        fix = "send a number a float can carry, or send a string via your own client"
        suggestion = None
    else:
        suggestion = format(rounded, "f")
        digits = len(rounded.as_tuple().digits)
        fix = (
            f"round to {digits} significant digits ({suggestion}) or send a string via your own "
            "client"
        )
    return ValidationIssue(
        field=described.name,
        code=PRECISION_LOSS,
        message=record_message(
            PRECISION_LOSS,
            name=described.name,
            label=described.label,
            value=value,
            sent=echo_value(sent),
        ),
        value=shown,
        suggestion=suggestion,
        hint=fix,
    )


def scale_rounded_issue(
    described: FieldMeta, shown: Any, value: Decimal, stored: Decimal
) -> ValidationIssue:
    """SCALE_ROUNDED: more decimal places than the field's scale; Salesforce stores ``stored``."""
    text = format(stored, "f")
    return ValidationIssue(
        field=described.name,
        code=SCALE_ROUNDED,
        message=record_message(
            SCALE_ROUNDED,
            name=described.name,
            label=described.label,
            value=value,
            scale=described.scale,
            stored=text,
        ),
        value=shown,
        suggestion=text,
        hint=f"{described.name} keeps {described.scale} decimal places; round the value "
        "yourself to store what you mean",
    )


def picklist_issue(
    described: FieldMeta,
    code: str,
    item: str,
    allowed: frozenset[str],
    record_type: str | None = None,
) -> ValidationIssue:
    """A bad picklist value, with the closest allowed value (describe order) as suggestion."""
    ordered = [value for value in described.values if value in allowed]
    ordered += sorted(allowed.difference(ordered))
    matches = close_matches(item, ordered)
    extra: dict[str, Any] = {"record_type": record_type} if record_type else {}
    where = f" for record type {record_type}" if record_type else ""
    return ValidationIssue(
        field=described.name,
        code=code,
        message=record_message(
            code, name=described.name, label=described.label, value=item, **extra
        ),
        value=item,
        suggestion=matches[0] if matches else None,
        hint=f"allowed values{where}: {value_list(ordered)}",
    )


def reference_hint(described: FieldMeta, value: Any) -> str:
    """Which object an id belongs to (when its prefix is standard) and what the field takes."""
    prefix = str(value)[:3]
    owner = ids.standard_object_for_prefix(prefix)
    if owner is not None:
        article = "an" if owner[0] in "AEIOU" else "a"
        what = f"{value} is {article} {owner} id"
    else:
        what = f"{value} has key prefix {prefix!r}"
    return f"{what}; {described.name} takes ids of {value_list(list(described.reference_to))}"


def value_list(values: list[str]) -> str:
    if not values:
        return "none"
    shown = ", ".join(repr(value) for value in values[:_HINT_VALUES_SHOWN])
    more = len(values) - _HINT_VALUES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def split_values(raw: Any) -> list[Any]:
    """Multipicklist items from 'A;B' or a list."""
    if isinstance(raw, str):
        return [item for item in raw.split(";") if item != ""]
    if isinstance(raw, list | tuple):
        return list(raw)
    return [raw]
