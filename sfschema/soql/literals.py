"""``literal()``: the only way a Python value becomes SOQL text — and its inverse for the parser.

Strings are single-quoted with ``\\\\ \\' \\" \\n \\r \\t \\b \\f`` escaped; a control character
that has no SOQL escape is an error, never silently dropped. Dates are unquoted ``YYYY-MM-DD``;
datetimes must be timezone-aware and become UTC ``YYYY-MM-DDThh:mm:ssZ``; the documented SOQL
formats have no fractional seconds, so a datetime with microseconds is an error (never silently
truncated: ``> 01:01:01.5`` is not ``> 01:01:01``). Numbers are written plainly, never in
exponent form; NaN and infinities are errors. ``None`` is ``null``. Lists become ``(…)`` and
may not be empty.

LIKE operands have two forms. A plain ``str`` is matched literally: ``literal(s, like=True)``
also escapes ``%`` and ``_``. A ``LikePattern`` keeps ``%``/``_`` as wildcards and writes
``\\%``, ``\\_`` and ``\\\\`` for a literal percent, underscore and backslash.

>>> literal("O'Brien")
"'O\\\\'Brien'"
>>> literal("50%_off", like=True)
"'50\\\\%\\\\_off'"
>>> literal(LikePattern.startswith("50%"))
"'50\\\\%%'"
>>> from decimal import Decimal, InvalidOperation
>>> literal(Decimal("1E-7")), literal(None), literal([1, 2])
('0.0000001', 'null', '(1, 2)')
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sfschema.errors import SoqlError

_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_LIKE_ESCAPES = {**_ESCAPES, "%": "\\%", "_": "\\_"}
# One translate table each: a single pass instead of one str.replace per character.
_TABLE = str.maketrans(_ESCAPES)
_LIKE_TABLE = str.maketrans(_LIKE_ESCAPES)
_LIKE_ESCAPE_TABLE = str.maketrans({"\\": "\\\\", "%": "\\%", "_": "\\_"})
# Characters that need attention: escapable ones, other C0/C1 controls, lone surrogates.
_SPECIAL = re.compile(r"[\\'\"\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_SPECIAL_LIKE = re.compile(r"[\\'\"%_\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_SPECIAL_PATTERN = re.compile(r"\\[%_\\]|[\\'\"\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# The characters SOQL has no escape for: controls other than \b \t \n \f \r, lone surrogates.
_UNESCAPABLE = re.compile(r"[\x00-\x07\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# _SPECIAL restricted to ASCII, as bytes to delete (a C loop, faster than a regex on long text).
_SPECIAL_ASCII = bytes(range(0x20)) + b"\x7f\\'\""

# No SOQL number field holds more digits; a longer literal is a mistake, not a value.
MAX_DECIMAL_DIGITS = 40
_INT_BOUND = 10**MAX_DECIMAL_DIGITS  # an int literal has at most MAX_DECIMAL_DIGITS digits


def _no_escape(char: str, value: str) -> SoqlError:
    if "\ud800" <= char <= "\udfff":
        return SoqlError(
            f"string {value[:40]!r} contains a lone surrogate {char!r}, which is not valid UTF-8"
        )
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    return SoqlError(
        f"string {value[:40]!r} contains the control character {char!r} ({name}), which SOQL "
        "cannot escape; remove it (only \\n \\r \\t \\b \\f have escapes)"
    )


def plain(value: Any) -> Any:
    """``value`` as a value of its exact built-in type, read without calling its own methods.

    A subclass of str, int, float, Decimal, date or datetime (an ``IntEnum`` member, a
    ``StrEnum`` member, numpy's float64, or a hostile class whose ``__str__``, ``__format__``,
    ``__radd__``, ``replace`` or ``__lt__`` lies) becomes the plain value it holds, made by the
    base type's own methods: only that value can reach SOQL text. Anything else is returned
    unchanged. An object that only claims a type through ``__class__`` is not converted (the
    type checks here use ``type()``, which it cannot change) and is refused where it is used.

    >>> import enum
    >>> class Size(enum.IntEnum):
    ...     BIG = 2
    >>> plain(Size.BIG), type(plain(Size.BIG)).__name__
    (2, 'int')
    """
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if issubclass(kind, str):
        return str.__str__(value)
    if issubclass(kind, int):
        return int.__int__(value)
    if issubclass(kind, float):
        return float.__float__(value)
    if issubclass(kind, Decimal):
        return Decimal(value)  # copies the number itself, whatever the subclass overrides
    if issubclass(kind, datetime):
        return datetime.fromisoformat(datetime.isoformat(value))
    if issubclass(kind, date):
        return date.fromisoformat(date.isoformat(value))
    return value


_PLAIN_TYPES = frozenset((str, int, float, bool, Decimal, date, datetime, type(None)))


def _quote_text(value: str, table: dict[int, str], special: re.Pattern[str]) -> str:
    """``'value'`` with the table's escapes; SoqlError for a character SOQL cannot escape."""
    if special.search(value) is None:
        return "'" + value + "'"
    bad = _UNESCAPABLE.search(value)
    if bad is not None:
        raise _no_escape(bad.group(), value)
    return "'" + value.translate(table) + "'"


def _quote_pattern(value: str) -> str:
    """A LikePattern's text quoted: its ``\\%`` ``\\_`` ``\\\\`` pairs are already SOQL."""
    if _SPECIAL.search(value) is None:
        return "'" + value + "'"

    def replace(match: re.Match[str]) -> str:
        text = match.group()
        if len(text) == 2:  # an escape pair (\% \_ \\) is kept as it is
            return text
        escaped = _ESCAPES.get(text)
        if escaped is None:
            raise _no_escape(text, value)
        return escaped

    return "'" + _SPECIAL_PATTERN.sub(replace, value) + "'"


def needs_no_escape(text: str) -> bool:
    """True when ``text`` holds no character that ``literal()`` escapes or refuses.

    The same answer as searching for those characters one by one, computed on ASCII text by
    deleting them from its bytes (one C loop), which is faster for long text.
    """
    if text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _SPECIAL_ASCII)) == len(data)
    return _SPECIAL.search(text) is None


def simple_values(values: Sequence[Any]) -> bool:
    """True when every value is exactly a ``str`` needing no escape, or every one exactly an
    ``int`` of at most MAX_DECIMAL_DIGITS digits.

    For such values ``check_value(v) is v`` and ``literal(v)`` is ``'v'`` or ``str(v)``, so a
    list of them can be checked and written in one pass (the fast path of ``literal_list`` and
    of IN-list nodes; tests compare it with the value-by-value path).
    """
    if not values:
        return False
    kinds = set(map(type, values))
    if kinds == {str}:
        return needs_no_escape("".join(values))
    if kinds == {int}:
        return bool(min(values) > -_INT_BOUND and max(values) < _INT_BOUND)
    return False


def like_escape(text: str) -> str:
    """Pattern text that matches ``text`` literally (``\\``, ``%`` and ``_`` escaped).

    >>> like_escape("100%_sure")
    '100\\\\%\\\\_sure'
    """
    return text.translate(_LIKE_ESCAPE_TABLE)


_BAD_PATTERN_ESCAPE = re.compile(r"\\(?:[%_\\]|(.|$))", re.S)


@dataclass(frozen=True, slots=True)
class LikePattern:
    """A LIKE pattern: ``%`` any run, ``_`` one character; ``\\%`` ``\\_`` ``\\\\`` literals.

    >>> LikePattern.contains("a_b").text
    '%a\\\\_b%'
    """

    text: str

    def __post_init__(self) -> None:
        if not issubclass(type(self.text), str):
            raise SoqlError(f"a LIKE pattern is a string, not {type(self.text).__name__}")
        if type(self.text) is not str:
            object.__setattr__(self, "text", str.__str__(self.text))
        for match in _BAD_PATTERN_ESCAPE.finditer(self.text):
            if match.group(1) is not None:
                raise SoqlError(
                    f"LIKE pattern {self.text!r}: a backslash may only precede %, _ or another "
                    "backslash; use like_escape() for literal text"
                )

    @classmethod
    def exact(cls, text: str) -> LikePattern:
        return cls(like_escape(text))

    @classmethod
    def startswith(cls, text: str) -> LikePattern:
        return cls(like_escape(text) + "%")

    @classmethod
    def endswith(cls, text: str) -> LikePattern:
        return cls("%" + like_escape(text))

    @classmethod
    def contains(cls, text: str) -> LikePattern:
        return cls("%" + like_escape(text) + "%")


_PATTERN_TEXT: Any = LikePattern.__dict__["text"]  # the slot itself, whatever a subclass adds


def _decimal(value: Decimal) -> str:
    if type(value) is not Decimal:
        value = Decimal(value)
    if not value.is_finite():
        raise SoqlError(f"{value} has no SOQL form (numbers must be finite)")
    exponent = value.as_tuple().exponent  # an int for a finite number
    if value.adjusted() >= MAX_DECIMAL_DIGITS or (
        isinstance(exponent, int) and exponent < -MAX_DECIMAL_DIGITS
    ):
        raise _too_many_digits(str(value))  # before writing out, say, 1E+999999999 in full
    text = format(value, "f")
    if len(text.lstrip("-").replace(".", "")) > MAX_DECIMAL_DIGITS:
        raise _too_many_digits(text)
    return text


def _datetime(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise SoqlError(
            f"datetime {value.isoformat()} is naive; SOQL needs a time zone "
            "(use datetime(..., tzinfo=UTC) or .astimezone())"
        )
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        raise SoqlError(f"datetime {value.isoformat()} is out of range in UTC") from None
    if utc.microsecond:
        shown = value.isoformat()
        if value.microsecond != utc.microsecond:  # the fraction is in the UTC offset
            shown += f" ({utc.isoformat()} in UTC)"
        raise SoqlError(
            f"datetime {shown} has fractional seconds, which SOQL datetimes cannot express; "
            "truncate (.replace(microsecond=0)) or round it to whole seconds yourself"
        )
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"
    )


def fraction_error(token: str, fraction: str) -> SoqlError | None:
    """The error for datetime text with a non-zero fraction of a second (None when all zeros).

    SOQL's documented datetimes are whole seconds; ``.000`` is the same instant, anything else
    would have to be dropped, which changes the filter.

    >>> fraction_error("2024-01-01T01:01:01.000Z", ".000") is None
    True
    >>> str(fraction_error("2024-01-01T01:01:01.5Z", ".5")).split("; ")[1]
    'write whole seconds (e.g. 2024-01-01T01:01:01Z)'
    """
    if not fraction.strip(".0"):
        return None
    whole = token.replace(fraction, "", 1)
    return SoqlError(
        f"datetime {token} has fractional seconds ({fraction}), which SOQL datetimes cannot "
        f"express; write whole seconds (e.g. {whole})"
    )


def number_value(text: str) -> int | Decimal:
    """The value of a number token (``42``, ``-1.50``): int without a point, Decimal with one.

    Exponent form (``1e-7``; the SOQL grammar has none, the command line's ``--param`` does) is
    a Decimal, which ``literal()`` writes plainly (``0.0000001``). More than MAX_DECIMAL_DIGITS
    digits, written out, is a SoqlError (before Python's own int limits apply).

    >>> number_value("1e-7"), literal(number_value("1e-7")), literal(number_value("-2.5E3"))
    (Decimal('1E-7'), '0.0000001', '-2500')
    """
    mantissa, exponent_mark, _ = text.lower().partition("e")
    digits = len(mantissa) - (mantissa[:1] in "+-") - ("." in mantissa)
    if digits > MAX_DECIMAL_DIGITS:
        raise _too_many_digits(text)
    if exponent_mark:
        try:
            value = Decimal(text)
        except InvalidOperation:  # an exponent beyond what Decimal holds
            raise _too_many_digits(text) from None
        _decimal(value)  # refuses what has more than MAX_DECIMAL_DIGITS digits written out
        return value
    return Decimal(text) if "." in text else int(text)


def _too_many_digits(text: str) -> SoqlError:
    shown = text if len(text) <= 50 else text[:47] + "..."
    return SoqlError(f"number {shown} has more than {MAX_DECIMAL_DIGITS} digits")


def _integer(value: int) -> str:
    if type(value) is not int:
        value = int.__int__(value)  # the number itself: never the object's own text
    if -_INT_BOUND < value < _INT_BOUND:
        return int.__repr__(value)
    if value.bit_length() < 10_000:  # str() works (Python writes ints of up to 4,300 digits)
        raise _too_many_digits(str(value))
    digits = int(value.bit_length() * math.log10(2))
    raise SoqlError(f"number of about {digits:,} digits has more than {MAX_DECIMAL_DIGITS} digits")


def literal(value: Any, *, like: bool = False) -> str:
    """SOQL text for a Python value; ``like=True`` for a string matched literally in LIKE."""
    if value.__class__ is str and not like:  # the common case first
        return _quote_text(value, _TABLE, _SPECIAL)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) not in _PLAIN_TYPES:
        value = plain(value)
    kind = type(value)  # type(), not isinstance: an object cannot fake it with __class__
    if kind is str:
        if like:
            return _quote_text(value, _LIKE_TABLE, _SPECIAL_LIKE)
        return _quote_text(value, _TABLE, _SPECIAL)
    if issubclass(kind, LikePattern):
        return _quote_pattern(LikePattern(_PATTERN_TEXT.__get__(value)).text)
    if kind is int:
        return _integer(value)
    if kind is Decimal:
        return _decimal(value)
    if kind is float:
        return _decimal(_float_decimal(value))
    if kind is datetime:
        return _datetime(value)
    if kind is date:
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, list | tuple | set | frozenset):
        return literal_list(value, like=like)
    raise SoqlError(
        f"a {type(value).__name__} value ({value!r:.60}) has no SOQL form; use str, int, "
        "Decimal, float, bool, None, date, aware datetime, LikePattern or a list of these"
    )


def literal_list(values: Iterable[Any], *, like: bool = False) -> str:
    """``(a, b, …)`` for IN / NOT IN / INCLUDES / EXCLUDES; an empty list is an error.

    A set's items are written in the order of their SOQL text, whatever order it iterates in.

    >>> literal_list(["001000000000001AAA", "it's"])
    "('001000000000001AAA', 'it\\\\'s')"
    """
    items = list(values)
    if isinstance(values, set | frozenset):  # no order of its own: follow the SOQL text
        items.sort(key=lambda item: literal(item, like=like))
    if not items:
        raise SoqlError("an IN list needs at least one value (Salesforce rejects '()')")
    if not like and simple_values(items):  # the same text as the loop below, in one pass
        if items[0].__class__ is str:
            return "('" + "', '".join(items) + "')"
        return "(" + ", ".join(map(str, items)) + ")"
    for item in items:
        if isinstance(item, list | tuple | set | frozenset):
            raise SoqlError(f"lists cannot be nested in SOQL: {item!r:.60}")
    return "(" + ", ".join(literal(item, like=like) for item in items) + ")"


def _float_decimal(value: float) -> Decimal:
    if not math.isfinite(value):
        raise SoqlError(f"{float.__repr__(value)} has no SOQL form (numbers must be finite)")
    return Decimal(float.__repr__(value))


def check_value(value: Any) -> Any:
    """Validate a scalar literal value and return its canonical form (what the AST stores).

    floats become Decimal; datetimes become UTC (with fractional seconds an error, as in
    ``literal()``); everything else is returned unchanged. Raises SoqlError like ``literal()``.
    """
    kind = type(value)
    if kind not in _PLAIN_TYPES:
        value = plain(value)
        kind = type(value)
    if kind is str:
        if _SPECIAL.search(value) is not None:
            _quote_text(value, _TABLE, _SPECIAL)  # raises for characters SOQL cannot escape
        return value
    if kind is bool or value is None:
        return value
    if kind is int:
        if not -_INT_BOUND < value < _INT_BOUND:
            _integer(value)
        return value
    if kind is float:
        number = _float_decimal(value)
        _decimal(number)
        return number
    if isinstance(value, datetime):
        _datetime(value)
        return value.astimezone(UTC).replace(fold=0)
    if isinstance(value, list | tuple | set | frozenset):
        raise SoqlError(f"a list is not a single value: {value!r:.60}")
    literal(value)
    return value


# -- the inverse: string tokens back to Python values -----------------------------------------

_SIMPLE_DECODE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
_ESCAPE_SEQ = re.compile(r"\\(u[0-9A-Fa-f]{4}|.)", re.S)


def decode_string(body: str, *, like: bool = False) -> str:
    """The value of a string token's body (between the quotes).

    In a LIKE pattern (``like=True``) ``\\%``, ``\\_`` and ``\\\\`` stay escaped, so the result is
    ``LikePattern`` text. Any other unknown escape is an error, as in Salesforce.
    """
    if "\\" not in body:
        return body

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in ("'", '"'):
            return code
        if code == "\\":
            return "\\\\" if like else "\\"
        if like and code in ("%", "_"):
            return "\\" + code
        lowered = code.lower()
        if lowered in _SIMPLE_DECODE:
            return _SIMPLE_DECODE[lowered]
        if len(code) == 5:
            return chr(int(code[1:], 16))
        where = "" if like else " (\\% and \\_ are only valid in LIKE patterns)"
        raise SoqlError(f"invalid escape sequence \\{code} in string literal{where}")

    decoded = _ESCAPE_SEQ.sub(replace, body)
    if any("\ud800" <= char <= "\udfff" for char in decoded):
        try:
            decoded = decoded.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SoqlError("string literal contains an unpaired \\uD800-\\uDFFF escape") from exc
    return decoded
