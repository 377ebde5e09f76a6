"""Shared run-time types for generated models and models built at run time.

Each field of a generated model is ``Annotated[<python type>, <marker>]``. A marker carries the
field's API name and label and builds a pydantic-core schema that does the checks in Rust where it
can (type, length, range, literal values) and in a small Python function only where it must (id
checksum and key prefix, multi-select picklists, base64).

Every failure is a ``PydanticCustomError`` whose type is the Salesforce error code the value would
cause, with a context naming the field (``field``, ``label``) and the limit broken::

    MALFORMED_ID                     not 15/18 letters and digits, or a bad checksum
    FIELD_INTEGRITY_EXCEPTION        an id whose key prefix is not one of the referenced objects'
    INVALID_TYPE_ON_FIELD_IN_RECORD  wrong JSON type, naive datetime, "yes" for a boolean, bad date
    NUMBER_OUTSIDE_VALID_RANGE       too many digits left of the point
    STRING_TOO_LONG                  more characters than the field's length
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST   a value that is not an active value
    REQUIRED_FIELD_MISSING           an explicit None for a field that cannot be null

An error's ``input`` is the value at the step that failed: for a range error that is the value
already converted (``Decimal('1E+17')`` for ``1e17``), so messages should quote the caller's value.

Nullability lives outside the marker: a nillable field is ``<alias> | None``, so None never reaches
the marker's schema; a field that cannot be null gets None → REQUIRED_FIELD_MISSING.

Input rules: dates from ``YYYY-MM-DD`` strings or ``date`` objects; datetimes timezone-aware only
(naive = error, never a guess); booleans from True/False only; numbers from int, float, Decimal or a
plain numeric string (never bool); ids of 15 or 18 characters, normalised to 18; multi-select
picklists from a list or ``"A;B"``. ``model_dump(mode="json")`` gives the payload to send: dates
``YYYY-MM-DD``, datetimes ``YYYY-MM-DDTHH:MM:SS.sssZ`` (UTC), times ``HH:MM:SS.sssZ``, Decimal as a
JSON number (int when integral, else float), multi-select picklists ``;``-joined.

>>> from typing import Annotated
>>> from pydantic import TypeAdapter, ValidationError
>>> amount = TypeAdapter(Annotated[Decimal, Number("Amount", "Amount", precision=5, scale=2)])
>>> amount.dump_python(amount.validate_python("123.45"), mode="json")
123.45
>>> try:
...     amount.validate_python(1234)
... except ValidationError as exc:
...     print(exc.errors()[0]["type"], "-", exc.errors()[0]["msg"])
NUMBER_OUTSIDE_VALID_RANGE - Amount: value outside of valid range on numeric field (max 3 digits)
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler
from pydantic_core import CoreSchema, PydanticCustomError
from pydantic_core import core_schema as cs

from sfschema import ids
from sfschema.errors import InvalidIdError

MALFORMED_ID = "MALFORMED_ID"
FIELD_INTEGRITY_EXCEPTION = "FIELD_INTEGRITY_EXCEPTION"
INVALID_TYPE = "INVALID_TYPE_ON_FIELD_IN_RECORD"
NUMBER_OUTSIDE_VALID_RANGE = "NUMBER_OUTSIDE_VALID_RANGE"
STRING_TOO_LONG = "STRING_TOO_LONG"
RESTRICTED_PICKLIST = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
REQUIRED_FIELD_MISSING = "REQUIRED_FIELD_MISSING"

ERROR_CODES: frozenset[str] = frozenset(
    {
        MALFORMED_ID,
        FIELD_INTEGRITY_EXCEPTION,
        INVALID_TYPE,
        NUMBER_OUTSIDE_VALID_RANGE,
        STRING_TOO_LONG,
        RESTRICTED_PICKLIST,
        REQUIRED_FIELD_MISSING,
    }
)

_NUMERIC_TEXT = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$"
_DATE_TEXT = r"^\d{4}-\d{2}-\d{2}$"
_DATETIME_TEXT = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"
_TIME_TEXT = r"^\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?Z?$"

# Parent records in a query result, e.g. {"attributes": {...}, "Name": "Acme"}.
ParentRecord = dict[str, Any]


# -- schema helpers -----------------------------------------------------------------------------


def _error(schema: CoreSchema, code: str, message: str, ctx: dict[str, Any]) -> CoreSchema:
    return cs.custom_error_schema(
        schema, custom_error_type=code, custom_error_message=message, custom_error_context=ctx
    )


def _typed(
    accepted: list[Any],
    expected: str,
    ctx: dict[str, Any],
    then: list[Any],
    serialization: cs.SerSchema | None = None,
) -> CoreSchema:
    """Type check (None → REQUIRED_FIELD_MISSING, other types → INVALID_TYPE), then ``then``."""
    label, field = ctx["label"], ctx["field"]
    accept = accepted[0] if len(accepted) == 1 else cs.union_schema(accepted)
    steps = [
        _error(
            cs.union_schema([*accepted, cs.none_schema()]),
            INVALID_TYPE,
            f"{label}: value not of required type (expected {expected})",
            {**ctx, "expected": expected},
        ),
        _error(accept, REQUIRED_FIELD_MISSING, f"Required fields are missing: [{field}]", ctx),
        *then,
    ]
    return cs.chain_schema(steps, serialization=serialization)


def _numeric_inputs() -> list[CoreSchema]:
    return [
        cs.int_schema(strict=True),
        cs.float_schema(strict=True),
        cs.decimal_schema(strict=True),
        cs.str_schema(strict=True, pattern=_NUMERIC_TEXT),
    ]


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _utc_text(value: dt.datetime) -> str:
    utc = value.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _time_text(value: dt.time) -> str:
    return value.strftime("%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class _Marker:
    field: str
    label: str

    def _ctx(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label}


# -- markers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text(_Marker):
    """Text (string, textarea, phone, email, url, open picklist, combobox…) up to max_length."""

    max_length: int = 0

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        ctx = {**self._ctx(), "max_length": self.max_length}
        then = []
        if self.max_length > 0:
            then.append(
                _error(
                    cs.str_schema(max_length=self.max_length),
                    STRING_TOO_LONG,
                    f"{self.label}: data value too large (max length={self.max_length})",
                    ctx,
                )
            )
        return _typed([cs.str_schema(strict=True)], "text", ctx, then)


@dataclass(frozen=True)
class Picklist(_Marker):
    """A restricted picklist: the annotated ``Literal`` lists the active values."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        ctx = self._ctx()
        check = _error(
            handler(source),
            RESTRICTED_PICKLIST,
            f"{self.label}: bad value for restricted picklist field",
            ctx,
        )
        return _typed([cs.str_schema(strict=True)], "text", ctx, [check])


@dataclass(frozen=True)
class MultiPicklist(_Marker):
    """A multi-select picklist: a list of values or ``"A;B"``, validated and sent as ``"A;B"``.

    ``values`` is the active list for a restricted field (empty: any value is accepted).
    """

    max_length: int = 0
    values: tuple[str, ...] = ()

    def _join(self, value: str | list[str] | tuple[str, ...]) -> str:
        items = value.split(";") if isinstance(value, str) else list(value)
        if not all(isinstance(item, str) for item in items):
            raise PydanticCustomError(
                INVALID_TYPE,
                "{label}: value not of required type (expected a list of text values)",
                {**self._ctx(), "expected": "a list of text values"},
            )
        if self.values:
            allowed = frozenset(self.values)
            bad = [item for item in items if item not in allowed]
            if bad:
                raise PydanticCustomError(
                    RESTRICTED_PICKLIST,
                    "{label}: bad value for restricted picklist field: {bad}",
                    {**self._ctx(), "bad": ";".join(bad)},
                )
        joined = ";".join(items)
        if self.max_length and len(joined) > self.max_length:
            raise PydanticCustomError(
                STRING_TOO_LONG,
                "{label}: data value too large (max length={max_length})",
                {**self._ctx(), "max_length": self.max_length},
            )
        return joined

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        accepted = [
            cs.str_schema(strict=True),
            cs.list_schema(strict=True),
            cs.tuple_schema([cs.any_schema()], variadic_item_index=0, strict=True),
        ]
        join = cs.no_info_plain_validator_function(self._join)
        return _typed(accepted, "a list of text values or 'A;B'", self._ctx(), [join])


@dataclass(frozen=True)
class Checkbox(_Marker):
    """A boolean: True or False only (no "yes", no 1)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return _typed([cs.bool_schema(strict=True)], "true or false", self._ctx(), [])


@dataclass(frozen=True)
class Integer(_Marker):
    """An int (or long) of at most ``digits`` digits (0: unbounded)."""

    digits: int = 0

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        ctx = {**self._ctx(), "digits": self.digits}
        then = [
            _error(
                cs.int_schema(),
                INVALID_TYPE,
                f"{self.label}: value not of required type (expected a whole number)",
                {**ctx, "expected": "a whole number"},
            )
        ]
        if self.digits > 0:
            limit = 10**self.digits
            then.append(
                _error(
                    cs.int_schema(gt=-limit, lt=limit),
                    NUMBER_OUTSIDE_VALID_RANGE,
                    f"{self.label}: value outside of valid range on numeric field "
                    f"(max {self.digits} digits)",
                    ctx,
                )
            )
        return _typed(_numeric_inputs(), "a whole number", ctx, then)


@dataclass(frozen=True)
class Number(_Marker):
    """A double, currency or percent: at most precision − scale digits left of the point.

    Extra digits right of the point are not an error: Salesforce rounds them.
    """

    precision: int = 0
    scale: int = 0

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        left = self.precision - self.scale
        ctx = {**self._ctx(), "precision": self.precision, "scale": self.scale, "digits": left}
        then = [
            _error(
                cs.decimal_schema(allow_inf_nan=False),
                INVALID_TYPE,
                f"{self.label}: value not of required type (expected a number)",
                {**ctx, "expected": "a number"},
            )
        ]
        if self.precision > 0 and left >= 0:
            limit = Decimal(10) ** left
            then.append(
                _error(
                    cs.decimal_schema(gt=-limit, lt=limit),
                    NUMBER_OUTSIDE_VALID_RANGE,
                    f"{self.label}: value outside of valid range on numeric field "
                    f"(max {left} digits)",
                    ctx,
                )
            )
        ser = cs.plain_serializer_function_ser_schema(_plain_number, when_used="json")
        return _typed(_numeric_inputs(), "a number", ctx, then, serialization=ser)


@dataclass(frozen=True)
class DateOnly(_Marker):
    """A date, from a ``date`` object or a ``YYYY-MM-DD`` string (a datetime is an error)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        ctx = self._ctx()
        accepted = [cs.date_schema(strict=True), cs.str_schema(strict=True, pattern=_DATE_TEXT)]
        parse = _error(
            cs.date_schema(),
            INVALID_TYPE,
            f"{self.label}: value not of required type (expected a date YYYY-MM-DD)",
            {**ctx, "expected": "a date YYYY-MM-DD"},
        )
        return _typed(accepted, "a date YYYY-MM-DD", ctx, [parse])


@dataclass(frozen=True)
class DateTime(_Marker):
    """A timezone-aware datetime (object or ISO 8601 text with an offset); sent as UTC ``…Z``."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        ctx = self._ctx()
        expected = "a timezone-aware datetime"
        accepted = [
            cs.datetime_schema(strict=True),
            cs.str_schema(strict=True, pattern=_DATETIME_TEXT),
        ]
        parse = _error(
            cs.datetime_schema(tz_constraint="aware"),
            INVALID_TYPE,
            f"{self.label}: value not of required type (expected {expected})",
            {**ctx, "expected": expected},
        )
        ser = cs.plain_serializer_function_ser_schema(_utc_text, when_used="json")
        return _typed(accepted, expected, ctx, [parse], serialization=ser)


@dataclass(frozen=True)
class TimeOfDay(_Marker):
    """A time of day, from a ``time`` or ``HH:MM[:SS[.sss]][Z]``; sent as ``HH:MM:SS.sssZ``."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        ctx = self._ctx()
        expected = "a time HH:MM:SS.sssZ"
        accepted = [cs.time_schema(strict=True), cs.str_schema(strict=True, pattern=_TIME_TEXT)]
        parse = _error(
            cs.time_schema(),
            INVALID_TYPE,
            f"{self.label}: value not of required type (expected {expected})",
            {**ctx, "expected": expected},
        )
        ser = cs.plain_serializer_function_ser_schema(_time_text, when_used="json")
        return _typed(accepted, expected, ctx, [parse], serialization=ser)


@lru_cache(maxsize=1 << 16)
def _id18(value: str) -> str | None:
    try:
        return ids.to18(value)
    except InvalidIdError:
        return None


@dataclass(frozen=True)
class SalesforceId(_Marker):
    """A record id (id or reference field): 15 or 18 characters, valid checksum, normalised to 18.

    ``prefixes`` are the key prefixes of the objects the field may point to; empty means the
    check is skipped (the targets' prefixes are not all known).
    """

    prefixes: tuple[str, ...] = ()

    def _check(self, value: str) -> str:
        id18 = _id18(value)
        if id18 is None:
            raise PydanticCustomError(
                MALFORMED_ID,
                "{label}: id value of incorrect type: {value}",
                {**self._ctx(), "value": value},
            )
        if self.prefixes and id18[:3] not in self.prefixes:
            raise PydanticCustomError(
                FIELD_INTEGRITY_EXCEPTION,
                "{label}: id value of incorrect type: {value}",
                {**self._ctx(), "value": value, "prefixes": self.prefixes},
            )
        return id18

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        check = cs.no_info_after_validator_function(self._check, cs.str_schema())
        return _typed([cs.str_schema(strict=True)], "a record id", self._ctx(), [check])


@dataclass(frozen=True)
class Base64(_Marker):
    """Binary content: bytes (encoded when sent) or base64 text (checked)."""

    def _encode(self, value: str | bytes) -> str:
        if isinstance(value, bytes):
            return base64.b64encode(value).decode("ascii")
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise PydanticCustomError(
                INVALID_TYPE,
                "{label}: value not of required type (expected base64 text or bytes)",
                {**self._ctx(), "expected": "base64 text or bytes"},
            ) from exc
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        accepted = [cs.str_schema(strict=True), cs.bytes_schema(strict=True)]
        encode = cs.no_info_plain_validator_function(self._encode)
        return _typed(accepted, "base64 text or bytes", self._ctx(), [encode])


# -- compound values (read-only) ----------------------------------------------------------------


class Address(BaseModel):
    """A compound address as queried (read-only: write its component fields instead)."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)

    street: str | None = None
    city: str | None = None
    state: str | None = None
    stateCode: str | None = None
    postalCode: str | None = None
    country: str | None = None
    countryCode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geocodeAccuracy: str | None = None


class Location(BaseModel):
    """A compound geolocation as queried (read-only: write ``…__Latitude__s`` and so on)."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)

    latitude: float | None = None
    longitude: float | None = None


def omittable(alias: str | None = None) -> Any:
    """The default of a field that may be left out but must not be None (it stays unset).

    Typed ``Any`` so that ``Name: str = omittable()`` type-checks: callers may omit ``Name`` but
    may not pass None.
    """
    return Field(default=None, alias=alias)


# -- base classes -------------------------------------------------------------------------------


class Record(BaseModel):
    """A record as queried: every field optional; other keys (``attributes``, children) kept."""

    model_config = ConfigDict(
        extra="allow", protected_namespaces=(), populate_by_name=True, defer_build=True
    )


class RecordWrite(BaseModel):
    """Field values for a create or an update: unknown fields are an error."""

    model_config = ConfigDict(
        extra="forbid", protected_namespaces=(), populate_by_name=True, defer_build=True
    )


class RecordCreate(RecordWrite):
    """Field values for a create: createable fields; required ones have no default."""


class RecordUpdate(RecordWrite):
    """Field values for an update: updateable fields, all optional."""


__all__ = [
    "ERROR_CODES",
    "FIELD_INTEGRITY_EXCEPTION",
    "INVALID_TYPE",
    "MALFORMED_ID",
    "NUMBER_OUTSIDE_VALID_RANGE",
    "REQUIRED_FIELD_MISSING",
    "RESTRICTED_PICKLIST",
    "STRING_TOO_LONG",
    "Address",
    "Base64",
    "Checkbox",
    "DateOnly",
    "DateTime",
    "Field",
    "Integer",
    "Location",
    "MultiPicklist",
    "Number",
    "ParentRecord",
    "Picklist",
    "Record",
    "RecordCreate",
    "RecordUpdate",
    "RecordWrite",
    "SalesforceId",
    "Text",
    "TimeOfDay",
    "omittable",
]
