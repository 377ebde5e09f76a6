"""Record values as the query evaluator compares, sorts and sends them.

Records hold wire values (dates ``YYYY-MM-DD``, datetimes ``…T09:30:00.000+0000``, numbers as
JSON numbers). ``comparable`` turns one into a Python value of its field's kind; ``wire`` writes
it back as Salesforce sends it ("Valid Date and DateTime Formats"; numbers as JSON numbers).
Text compares case-insensitively and ids by their 18-character form (SOQL and SOSL Reference,
"Comparison Operators").
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sfschema import ids
from sfschema.emulator.formats import sf_datetime

TEXT_TYPES = frozenset(
    ("string", "picklist", "combobox", "textarea", "email", "phone", "url", "encryptedstring")
)
NUMBER_TYPES = frozenset(("int", "double", "currency", "percent", "long"))
_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?\Z"
)


def kind_of(field_type: str) -> str:
    """The comparison kind of a describe type: text, multi, id, number, boolean, date, …"""
    if field_type in TEXT_TYPES:
        return "text"
    if field_type == "multipicklist":
        return "multi"
    if field_type in ("id", "reference"):
        return "id"
    if field_type in NUMBER_TYPES:
        return "number"
    if field_type in ("boolean", "date", "datetime"):
        return field_type
    return "other"


def parse_datetime(text: str) -> datetime | None:
    """A stored datetime (``Z``, ``+0000`` or ``+00:00``) as an aware UTC datetime."""
    match = _DATETIME.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    micro = int((match.group(7) or "0")[:6].ljust(6, "0"))
    zone = match.group(8) or "Z"
    try:
        moment = datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    except ValueError:
        return None
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:])
        moment -= sign * timedelta(minutes=minutes)
    return moment


def comparable(kind: str, raw: Any) -> Any:
    """A stored value as the Python value SOQL compares (None stays None; a checkbox is never
    null, so a missing one is false)."""
    if kind == "boolean":
        return bool(raw)
    if raw is None:
        return None
    if kind == "text":
        return str(raw)
    if kind == "id":
        return ids.to18(raw) if isinstance(raw, str) and ids.is_valid(raw) else str(raw)
    if kind == "number":
        if isinstance(raw, bool):
            return None
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    if kind == "date":
        if isinstance(raw, date):
            return raw if not isinstance(raw, datetime) else raw.date()
        try:
            return date.fromisoformat(str(raw)[:10])
        except ValueError:
            return None
    if kind == "datetime":
        if isinstance(raw, datetime):
            return raw.astimezone(UTC)
        return parse_datetime(str(raw))
    if kind == "multi":
        return frozenset(part.lower() for part in str(raw).split(";") if part)
    return str(raw)  # one type per field, so that sorting never compares across types


def wire(field_type: str, raw: Any) -> Any:
    """A stored value as Salesforce sends it in a query result."""
    if field_type == "boolean":
        return bool(raw)  # checkboxes are never null
    if raw is None:
        return None
    kind = kind_of(field_type)
    if kind == "datetime":
        moment = comparable(kind, raw)
        return sf_datetime(moment) if moment is not None else raw
    if kind == "date":
        day = comparable(kind, raw)
        return day.isoformat() if day is not None else raw
    if kind == "id":
        return comparable(kind, raw)
    if kind == "number" and isinstance(raw, str):
        number = comparable(kind, raw)
        if number is None:
            return raw
        return int(number) if field_type in ("int", "long") else float(number)
    return raw


def sort_key(kind: str, value: Any) -> Any:
    """The value a sort compares: text without case, everything else as it is."""
    if kind in ("text", "multi") and isinstance(value, str):
        return value.lower()
    if kind == "multi" and isinstance(value, frozenset):
        return ";".join(sorted(value))
    return value


def text_equal(left: str, right: str) -> bool:
    return left.casefold() == right.casefold()


# -- LIKE ------------------------------------------------------------------------------------

ANY_RUN = object()
ONE_CHAR = object()


def like_tokens(pattern: str) -> list[Any]:
    """A LikePattern's text as tokens: characters (lower case), ANY_RUN (%) and ONE_CHAR (_)."""
    tokens: list[Any] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            tokens.append(pattern[index + 1].casefold())
            index += 2
            continue
        if char == "%":
            if not tokens or tokens[-1] is not ANY_RUN:
                tokens.append(ANY_RUN)
        elif char == "_":
            tokens.append(ONE_CHAR)
        else:
            tokens.append(char.casefold())
        index += 1
    return tokens


def like_match(tokens: list[Any], value: str) -> bool:
    """Whether ``value`` matches the tokens, case-insensitively.

    The wildcard walk keeps one fallback point (the last ``%``): time is at most
    len(tokens) × len(value), whatever the pattern.
    """
    text = value.casefold()
    t = v = 0
    star_t = star_v = -1
    while v < len(text):
        if t < len(tokens) and tokens[t] is ANY_RUN:
            star_t, star_v = t, v
            t += 1
        elif t < len(tokens) and (tokens[t] is ONE_CHAR or tokens[t] == text[v]):
            t += 1
            v += 1
        elif star_t >= 0:
            star_v += 1
            t, v = star_t + 1, star_v
        else:
            return False
    while t < len(tokens) and tokens[t] is ANY_RUN:
        t += 1
    return t == len(tokens)
