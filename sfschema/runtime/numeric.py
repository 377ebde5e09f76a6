"""Numbers and checkboxes: Checkbox, Integer, Number, and how a Decimal goes out as JSON.

A Decimal is sent as a JSON number: an ``int`` when it is integral (always exact), else the
nearest ``float``, whose JSON text (``repr``) is the shortest that reads back as that float. That
text is exactly the Decimal whenever a float can carry it (always up to 15 significant digits);
``precision_loss`` tells the other cases, so the validator can say so instead of losing digits
silently.

>>> json_number(Decimal("1234.50")), json_number(Decimal("12.000"))
(1234.5, 12)
>>> precision_loss(Decimal("1234567890123456.78"))
(Decimal('1234567890123456.78'), 1234567890123456.8)
>>> precision_loss(Decimal("0.1")) is None
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, ClassVar

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema
from pydantic_core import core_schema as cs

from sfschema.runtime.core import Marker, json_serializer, typed, with_error
from sfschema.salesforce_errors import (
    INVALID_TYPE_ON_FIELD_IN_RECORD,
    NUMBER_OUTSIDE_VALID_RANGE,
    not_of_required_type,
    outside_valid_range,
)

NUMERIC_TEXT = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$"
# str() of a non-integral Decimal has a point or an exponent, so at most this many characters
# means at most 15 significant digits, which a float always carries exactly (DBL_DIG) ...
_SHORT_TEXT = 16
# ... while it is a normal float (no underflow).
_SMALLEST_EXPONENT = -300
#: The digits left of the point of a field whose describe gives no limit: still no more than a
#: double holds (Salesforce keeps numbers as doubles, or longs), so that no value turns into an
#: int of unbounded length on its way to the payload.
UNBOUNDED_DIGITS = 308
# A float carries at most 17 significant digits (its repr has no more).
_FLOAT_DIGITS = 17


def json_number(value: Decimal) -> int | float:
    """The JSON number sent for a Decimal: int when integral, else the nearest float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def number_sent(value: Decimal, given: Any) -> int | float:
    """``json_number(value)`` where ``value`` was validated from ``given``: an int given is sent
    as itself, and so is a float that is not integral (``value`` is the Decimal of its shortest
    text, which reads back as the same float). An integral float is sent as ``json_number``
    sends it: the int of its shortest text (``5.7e16`` → 57000000000000000)."""
    kind = type(given)
    if kind is int or (kind is float and not given.is_integer()):
        return given  # type: ignore[no-any-return]
    return json_number(value)


def sent_exactly(value: Decimal, sent: float) -> bool:
    """True when the JSON text of ``sent`` (its repr) is numerically ``value``."""
    if len(str(value)) <= _SHORT_TEXT and value.adjusted() > _SMALLEST_EXPONENT:
        return True
    return Decimal(repr(sent)) == value


def precision_loss(value: Any) -> tuple[Decimal, float] | None:
    """(the number, the float it would be sent as) when a number input cannot be sent exactly.

    ``value`` is an input the Number type accepted: an int or a float is sent as itself (None);
    a Decimal or numeric text is checked.
    """
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            return None  # not numeric text: the model reports it
    if not isinstance(value, Decimal) or not value.is_finite():
        return None
    sent = json_number(value)
    if isinstance(sent, int) or sent_exactly(value, sent):
        return None
    return value, sent


def scale_rounding(value: Any, scale: int) -> tuple[Decimal, Decimal] | None:
    """(the number, the number rounded to ``scale`` decimals) when rounding changes it.

    ``value`` is an input the Number type accepted (int, float, Decimal or numeric text); a float
    counts with the decimals of its shortest text (``0.1`` has one). Salesforce stores a number
    rounded to the field's scale (SOAP API Developer Guide: Field Types, double/currency: rounded
    or truncated; rounding half up is assumed here, the usual decimal rounding).

    >>> scale_rounding(Decimal("12.345"), 2), scale_rounding(12.5, 2)
    ((Decimal('12.345'), Decimal('12.35')), None)
    """
    if isinstance(value, int):  # bool too
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or round(value, scale) == value:
            return None
        value = Decimal(float.__repr__(value))  # a subclass's own repr is not its value
    elif isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            return None  # not numeric text: the model reports it
    if not isinstance(value, Decimal) or not value.is_finite():
        return None
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= -scale:
        return None
    digits = len(value.as_tuple().digits) + scale + 2
    rounded = value.quantize(
        Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP, context=Context(prec=digits)
    )
    if rounded == value:
        return None  # only trailing zeros (12.50 with scale 1)
    return value, rounded


def exact_rounding(value: Decimal) -> Decimal | None:
    """``value`` rounded to the most significant digits that a JSON number sends exactly."""
    # a rounding to more than 17 digits that a float sends exactly is one to 17 or fewer
    for digits in range(min(len(value.as_tuple().digits) - 1, _FLOAT_DIGITS), 0, -1):
        rounded = Context(prec=digits).plus(value)
        sent = json_number(rounded)
        if isinstance(sent, int) or Decimal(repr(sent)) == rounded:
            return rounded.normalize()
    return None


def numeric_inputs() -> list[CoreSchema]:
    """What a number field accepts: int, float, Decimal or plain numeric text (never bool).

    In this order: the unions try left to right, and a strict float schema also takes (and
    converts) ints and Decimals, so it must come after them.
    """
    return [
        cs.int_schema(strict=True),
        cs.decimal_schema(strict=True),
        cs.float_schema(strict=True),
        cs.str_schema(strict=True, pattern=NUMERIC_TEXT),
    ]


@dataclass(frozen=True)
class Checkbox(Marker):
    """A boolean: True or False only (no "yes", no 1)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return typed([cs.bool_schema(strict=True)], "true or false", self.context(), [])


@dataclass(frozen=True)
class Integer(Marker):
    """An int (or long) of at most ``digits`` digits (0: the describe gives no limit, and
    ``UNBOUNDED_DIGITS`` applies).

    An int is checked in Rust; a float, Decimal or numeric text goes through ``_whole``, which
    refuses a fraction or a number out of range before making an int of it
    (``Decimal("1e999999999")`` would be an int of a billion digits).
    """

    digits: int = 0

    keeps_given: ClassVar[bool] = False  # 5.0, Decimal("5") and "5" are sent as 5

    @property
    def _limit_digits(self) -> int:
        return self.digits if self.digits > 0 else UNBOUNDED_DIGITS

    def _whole(self, value: Any) -> int:
        if type(value) is int:
            return value
        if isinstance(value, int):  # a subclass (IntEnum …): its value, never its own methods
            return int.__int__(value)
        if isinstance(value, float):
            number = Decimal(float.__repr__(value)) if math.isfinite(value) else None
        else:  # Decimal or numeric text (the type check let nothing else through)
            number = Decimal(value)
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise self.failure(
                INVALID_TYPE_ON_FIELD_IN_RECORD,
                not_of_required_type(self.label, "a whole number"),
                digits=self.digits,
                expected="a whole number",
            )
        if number and number.adjusted() >= self._limit_digits:
            raise self.failure(
                NUMBER_OUTSIDE_VALID_RANGE,
                outside_valid_range(self.label, self._limit_digits),
                digits=self.digits,
            )
        return int(number)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        ctx = self.context(digits=self.digits)
        limit = 10**self._limit_digits
        then = [
            cs.no_info_plain_validator_function(self._whole),
            with_error(
                cs.int_schema(gt=-limit, lt=limit),
                NUMBER_OUTSIDE_VALID_RANGE,
                outside_valid_range(self.label, self._limit_digits),
                ctx,
            ),
        ]
        return typed(numeric_inputs(), "a whole number", ctx, then)


@dataclass(frozen=True)
class Number(Marker):
    """A double, currency or percent: at most precision − scale digits left of the point
    (``UNBOUNDED_DIGITS`` when the describe gives no precision).

    Extra digits right of the point are not an error: Salesforce rounds them. Sent as
    ``json_number``.
    """

    precision: int = 0
    scale: int = 0

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        left = self.precision - self.scale
        ctx = self.context(precision=self.precision, scale=self.scale, digits=left)
        shown = left if self.precision > 0 and left >= 0 else UNBOUNDED_DIGITS
        out_of_range = outside_valid_range(self.label, shown)
        int_limit = 10**shown
        limit = Decimal(10) ** shown
        then = [
            # an int out of range is refused before its conversion to Decimal (which takes time
            # quadratic in its length); the other inputs pass this step as they are
            with_error(
                cs.union_schema(
                    [
                        cs.int_schema(strict=True, gt=-int_limit, lt=int_limit),
                        cs.is_instance_schema(float),
                        cs.is_instance_schema(Decimal),
                        cs.is_instance_schema(str),
                    ],
                    mode="left_to_right",
                ),
                NUMBER_OUTSIDE_VALID_RANGE,
                out_of_range,
                ctx,
            ),
            with_error(
                cs.decimal_schema(allow_inf_nan=False),
                INVALID_TYPE_ON_FIELD_IN_RECORD,
                not_of_required_type(self.label, "a number"),
                {**ctx, "expected": "a number"},
            ),
            with_error(
                cs.decimal_schema(gt=-limit, lt=limit),
                NUMBER_OUTSIDE_VALID_RANGE,
                out_of_range,
                ctx,
            ),
        ]
        return typed(numeric_inputs(), "a number", ctx, then, serialization=json_serializer(self))

    def json_form(self) -> Callable[[Decimal], int | float]:
        return json_number

    def payload_form(self) -> Callable[[Decimal, Any], int | float]:
        return number_sent
