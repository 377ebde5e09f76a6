"""SOQL date literals: the one canonical table, and the date range each one means.

Every name the parser accepts, the builder offers and the emulator evaluates comes from
``DATE_LITERALS``. Ranges follow Salesforce's "Date Formats and Date Literals" reference: each
literal is a half-open range of days ``[start, end)`` starting at 00:00 in the user's time zone.
Two things depend on org/user settings and are parameters here: the first day of the week
(locale; Sunday in the US) and the month the fiscal year starts in (Setup → Fiscal Year; January
by default; custom fiscal years are not modelled).

>>> from datetime import date
>>> date_range("LAST_N_DAYS", 1, today=date(2024, 3, 15))
(datetime.date(2024, 3, 14), datetime.date(2024, 3, 16))
>>> date_range("THIS_FISCAL_QUARTER", today=date(2024, 3, 15), fiscal_year_start_month=2)
(datetime.date(2024, 2, 1), datetime.date(2024, 5, 1))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal

from sfschema.errors import SoqlError
from sfschema.soql.literals import MAX_DECIMAL_DIGITS

Kind = Literal["yesterday", "today", "tomorrow", "last", "this", "next", "last_n", "next_n", "ago"]
Unit = Literal["day", "week", "month", "quarter", "year", "fiscal_quarter", "fiscal_year"]

SUNDAY = 6  # date.weekday() numbering: Monday is 0


@dataclass(frozen=True, slots=True)
class DateLiteralSpec:
    """One date literal: its SOQL name, whether it takes ``:n``, and what range it means."""

    name: str
    kind: Kind
    unit: Unit
    fixed_n: int | None = None  # LAST_90_DAYS is LAST_N_DAYS:90

    @property
    def takes_n(self) -> bool:
        return self.kind in ("last_n", "next_n", "ago") and self.fixed_n is None


def _spec(name: str, kind: Kind, unit: Unit, fixed_n: int | None = None) -> DateLiteralSpec:
    return DateLiteralSpec(name, kind, unit, fixed_n)


DATE_LITERALS: tuple[DateLiteralSpec, ...] = (
    _spec("YESTERDAY", "yesterday", "day"),
    _spec("TODAY", "today", "day"),
    _spec("TOMORROW", "tomorrow", "day"),
    _spec("LAST_WEEK", "last", "week"),
    _spec("THIS_WEEK", "this", "week"),
    _spec("NEXT_WEEK", "next", "week"),
    _spec("LAST_MONTH", "last", "month"),
    _spec("THIS_MONTH", "this", "month"),
    _spec("NEXT_MONTH", "next", "month"),
    _spec("LAST_90_DAYS", "last_n", "day", 90),
    _spec("NEXT_90_DAYS", "next_n", "day", 90),
    _spec("LAST_QUARTER", "last", "quarter"),
    _spec("THIS_QUARTER", "this", "quarter"),
    _spec("NEXT_QUARTER", "next", "quarter"),
    _spec("LAST_YEAR", "last", "year"),
    _spec("THIS_YEAR", "this", "year"),
    _spec("NEXT_YEAR", "next", "year"),
    _spec("LAST_FISCAL_QUARTER", "last", "fiscal_quarter"),
    _spec("THIS_FISCAL_QUARTER", "this", "fiscal_quarter"),
    _spec("NEXT_FISCAL_QUARTER", "next", "fiscal_quarter"),
    _spec("LAST_FISCAL_YEAR", "last", "fiscal_year"),
    _spec("THIS_FISCAL_YEAR", "this", "fiscal_year"),
    _spec("NEXT_FISCAL_YEAR", "next", "fiscal_year"),
    _spec("LAST_N_DAYS", "last_n", "day"),
    _spec("NEXT_N_DAYS", "next_n", "day"),
    _spec("N_DAYS_AGO", "ago", "day"),
    _spec("LAST_N_WEEKS", "last_n", "week"),
    _spec("NEXT_N_WEEKS", "next_n", "week"),
    _spec("N_WEEKS_AGO", "ago", "week"),
    _spec("LAST_N_MONTHS", "last_n", "month"),
    _spec("NEXT_N_MONTHS", "next_n", "month"),
    _spec("N_MONTHS_AGO", "ago", "month"),
    _spec("LAST_N_QUARTERS", "last_n", "quarter"),
    _spec("NEXT_N_QUARTERS", "next_n", "quarter"),
    _spec("N_QUARTERS_AGO", "ago", "quarter"),
    _spec("LAST_N_YEARS", "last_n", "year"),
    _spec("NEXT_N_YEARS", "next_n", "year"),
    _spec("N_YEARS_AGO", "ago", "year"),
    _spec("LAST_N_FISCAL_QUARTERS", "last_n", "fiscal_quarter"),
    _spec("NEXT_N_FISCAL_QUARTERS", "next_n", "fiscal_quarter"),
    _spec("N_FISCAL_QUARTERS_AGO", "ago", "fiscal_quarter"),
    _spec("LAST_N_FISCAL_YEARS", "last_n", "fiscal_year"),
    _spec("NEXT_N_FISCAL_YEARS", "next_n", "fiscal_year"),
    _spec("N_FISCAL_YEARS_AGO", "ago", "fiscal_year"),
)

BY_NAME: dict[str, DateLiteralSpec] = {spec.name: spec for spec in DATE_LITERALS}

# Longest names first so that a regex alternation never stops at a prefix.
_NAMES_N = sorted((s.name for s in DATE_LITERALS if s.takes_n), key=len, reverse=True)
_NAMES_PLAIN = sorted((s.name for s in DATE_LITERALS if not s.takes_n), key=len, reverse=True)
PATTERN = (
    r"(?i:(?:" + "|".join(_NAMES_N) + r"):\d+|(?:" + "|".join(_NAMES_PLAIN) + r"))"
    r"(?![A-Za-z0-9_:])"
)
FULL = re.compile(PATTERN + r"\Z")


def spec(name: str) -> DateLiteralSpec:
    """The table entry for a date literal name (any case); SoqlError for an unknown name."""
    if not issubclass(type(name), str):
        raise SoqlError(f"a date literal name is a string, not {type(name).__name__}")
    name = str.__str__(name)
    found = BY_NAME.get(name.upper())
    if found is None:
        from sfschema.suggest import did_you_mean

        raise SoqlError(f"unknown date literal {name!r}" + did_you_mean(name.upper(), BY_NAME))
    return found


def split(text: str) -> tuple[str, int | None]:
    """``'last_n_days:7'`` → ``('LAST_N_DAYS', 7)``; ``'TODAY'`` → ``('TODAY', None)``."""
    if not FULL.match(text):
        raise SoqlError(f"{text!r} is not a SOQL date literal")
    name, _, number = text.partition(":")
    if len(number) > MAX_DECIMAL_DIGITS:
        raise SoqlError(f"{name}:{number[:20]}...: n has more than {MAX_DECIMAL_DIGITS} digits")
    return spec(name).name, int(number) if number else None


def check_n(name: str, n: int | None) -> tuple[str, int | None]:
    """Validate a (name, n) pair: n required exactly when the literal takes one, and n ≥ 0."""
    found = spec(name)
    if found.takes_n:
        if n is None or type(n) is bool or not issubclass(type(n), int):
            raise SoqlError(f"date literal {found.name} needs a whole number: {found.name}:n")
        n = int.__int__(n)  # the number itself: an int subclass's own text never counts
        if n < 0:
            raise SoqlError(f"date literal {found.name}:{n}: n must not be negative")
    elif n is not None:
        raise SoqlError(f"date literal {found.name} takes no number (got {found.name}:{n})")
    return found.name, n


# -- ranges -----------------------------------------------------------------------------------

_MONTH_PERIODS: dict[str, int] = {
    "month": 1,
    "quarter": 3,
    "year": 12,
    "fiscal_quarter": 3,
    "fiscal_year": 12,
}


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _period_start(unit: Unit, index: int, week_anchor: date, fiscal_offset: int) -> date:
    if unit == "day":
        return week_anchor + timedelta(days=index)  # anchor is today for days
    if unit == "week":
        return week_anchor + timedelta(weeks=index)
    length = _MONTH_PERIODS[unit]
    offset = fiscal_offset if unit.startswith("fiscal") else 0
    return _month_start(index * length + offset)


def _period_index(unit: Unit, today: date, fiscal_offset: int) -> int:
    if unit in ("day", "week"):
        return 0
    length = _MONTH_PERIODS[unit]
    offset = fiscal_offset if unit.startswith("fiscal") else 0
    return (today.year * 12 + today.month - 1 - offset) // length


def date_range(
    name: str,
    n: int | None = None,
    *,
    today: date,
    week_start: int = SUNDAY,
    fiscal_year_start_month: int = 1,
) -> tuple[date, date]:
    """The days a date literal covers, as a half-open range ``[start, end)``.

    ``week_start`` uses ``date.weekday()`` numbers (Monday 0 … Sunday 6).

    >>> from datetime import date
    >>> date_range("THIS_WEEK", today=date(2024, 3, 13))  # a Wednesday; weeks start on Sunday
    (datetime.date(2024, 3, 10), datetime.date(2024, 3, 17))
    >>> date_range("N_MONTHS_AGO", 2, today=date(2024, 1, 31))
    (datetime.date(2023, 11, 1), datetime.date(2023, 12, 1))
    """
    canonical, n = check_n(name, n)
    entry = BY_NAME[canonical]
    if not 1 <= fiscal_year_start_month <= 12:
        raise SoqlError(f"fiscal_year_start_month must be 1..12, got {fiscal_year_start_month}")
    if entry.fixed_n is not None:
        n = entry.fixed_n
    unit = entry.unit
    fiscal_offset = fiscal_year_start_month - 1
    anchor = today
    if unit == "week":
        anchor = today - timedelta(days=(today.weekday() - week_start) % 7)
    current = _period_index(unit, today, fiscal_offset)

    def start(index: int) -> date:
        return _period_start(unit, index, anchor, fiscal_offset)

    kind = entry.kind
    if kind in ("yesterday", "last"):
        first, last = current - 1, current
    elif kind in ("today", "this"):
        first, last = current, current + 1
    elif kind in ("tomorrow", "next"):
        first, last = current + 1, current + 2
    elif kind == "last_n":
        assert n is not None
        # LAST_N_DAYS includes today; LAST_N_WEEKS/MONTHS/... are the n whole periods before.
        first, last = (current - n, current + 1) if unit == "day" else (current - n, current)
    elif kind == "next_n":
        assert n is not None
        first, last = current + 1, current + 1 + n
    else:  # "ago"
        assert n is not None
        first, last = current - n, current - n + 1
    try:
        return start(first), start(last)
    except (OverflowError, ValueError):
        shown = canonical if entry.fixed_n is not None or n is None else f"{canonical}:{n}"
        raise SoqlError(f"{shown} reaches past the dates Python can hold (years 1-9999)") from None


def datetime_range(
    name: str,
    n: int | None = None,
    *,
    now: datetime,
    tz: tzinfo,
    week_start: int = SUNDAY,
    fiscal_year_start_month: int = 1,
) -> tuple[datetime, datetime]:
    """The instants a date literal covers for a user in time zone ``tz``: ``[start, end)``.

    ``now`` must be timezone-aware; bounds are midnights in ``tz``.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise SoqlError("datetime_range needs a timezone-aware 'now'")
    first, last = date_range(
        name,
        n,
        today=now.astimezone(tz).date(),
        week_start=week_start,
        fiscal_year_start_month=fiscal_year_start_month,
    )
    return datetime.combine(first, time(), tz), datetime.combine(last, time(), tz)
