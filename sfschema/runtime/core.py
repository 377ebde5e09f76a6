"""What every marker is built from: the Marker base and the type check with Salesforce codes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic_core import CoreSchema, PydanticCustomError
from pydantic_core import core_schema as cs

from sfschema.salesforce_errors import (
    INVALID_TYPE_ON_FIELD_IN_RECORD,
    REQUIRED_FIELD_MISSING,
    not_of_required_type,
    required_fields_missing,
)


def with_error(schema: CoreSchema, code: str, message: str, ctx: dict[str, Any]) -> CoreSchema:
    """``schema`` whose every failure is the Salesforce ``code`` with ``message``."""
    return cs.custom_error_schema(
        schema, custom_error_type=code, custom_error_message=message, custom_error_context=ctx
    )


def typed(
    accepted: Sequence[CoreSchema],
    expected: str,
    ctx: dict[str, Any],
    then: Sequence[CoreSchema],
    serialization: cs.SerSchema | None = None,
    present: Sequence[CoreSchema] | None = None,
) -> CoreSchema:
    """Type check (None → REQUIRED_FIELD_MISSING, other types → INVALID_TYPE), then ``then``.

    ``accepted`` are strict schemas of distinct input types, the most common first (the unions
    try them left to right). ``present``, when ``accepted`` has constraints (a text pattern),
    are the same types without them: the second step only has to refuse None.
    """
    label, field = ctx["label"], ctx["field"]
    kept = accepted if present is None else present
    accept = kept[0] if len(kept) == 1 else cs.union_schema(list(kept), mode="left_to_right")
    steps = [
        with_error(
            cs.union_schema([*accepted, cs.none_schema()], mode="left_to_right"),
            INVALID_TYPE_ON_FIELD_IN_RECORD,
            not_of_required_type(label, expected),
            {**ctx, "expected": expected},
        ),
        with_error(accept, REQUIRED_FIELD_MISSING, required_fields_missing(field), ctx),
        *then,
    ]
    return cs.chain_schema(steps, serialization=serialization)


def not_empty(ctx: dict[str, Any]) -> CoreSchema:
    """A step refusing ``""`` with REQUIRED_FIELD_MISSING: Salesforce stores an empty string as
    null, so for a field that cannot be null ``""`` is what an explicit None is."""
    return with_error(
        cs.str_schema(min_length=1),
        REQUIRED_FIELD_MISSING,
        required_fields_missing(ctx["field"]),
        ctx,
    )


def json_serializer(marker: Marker) -> cs.SerSchema | None:
    """The JSON serializer of a marker's schema: its ``json_form``, when it has one."""
    form = marker.json_form()
    if form is None:
        return None
    return cs.plain_serializer_function_ser_schema(form, when_used="json")


@dataclass(frozen=True)
class Marker:
    """A field's API name and label; subclasses add limits and build the pydantic-core schema."""

    field: str
    label: str

    #: the validated value is always the value given (strict types, nothing normalised), so a
    #: payload may send the value given (``sfschema.runtime.payload``)
    keeps_given: ClassVar[bool] = True

    def context(self, **extra: Any) -> dict[str, Any]:
        """The error context: field, label and the limit broken."""
        return {"field": self.field, "label": self.label, **extra}

    def failure(self, code: str, message: str, **extra: Any) -> PydanticCustomError:
        """An error raised from Python code; ``extra`` joins the context."""
        return PydanticCustomError(code, message, self.context(**extra))

    def json_form(self) -> Callable[[Any], Any] | None:
        """The function turning a validated value into what the payload sends, or None when the
        value is sent as it is (text, ids, booleans, ints). The JSON serializer of the marker's
        schema writes the same (``json_serializer``), so ``model_dump(mode="json")`` and
        ``sfschema.runtime.payload`` agree."""
        return None

    def payload_form(self) -> Callable[[Any, Any], Any] | None:
        """``json_form`` for ``sfschema.runtime.payload``: (validated value, value given) → what
        is sent. Markers whose given value often already is what is sent (a date's text, a
        number's int) return it without converting the validated value back."""
        form = self.json_form()
        if form is None:
            return None
        return lambda value, given: form(value)
