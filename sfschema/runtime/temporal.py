"""Dates and times: DateOnly, DateTime (timezone-aware, sent in UTC), TimeOfDay.

>>> import datetime as dt
>>> utc_text(dt.datetime(2024, 1, 31, 10, 0, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=2))))
'2024-01-31T08:00:00.123Z'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema
from pydantic_core import core_schema as cs

from sfschema.runtime.core import Marker, json_serializer, typed, with_error
from sfschema.salesforce_errors import INVALID_TYPE_ON_FIELD_IN_RECORD, not_of_required_type

DATE_TEXT = r"^\d{4}-\d{2}-\d{2}$"
DATETIME_TEXT = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"
TIME_TEXT = r"^\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?Z?$"
# The instants a datetime can be sent as: its UTC form must exist (0001-01-01T01:00+02:00 has none).
EARLIEST_UTC = dt.datetime.min.replace(tzinfo=dt.UTC)
LATEST_UTC = dt.datetime.max.replace(tzinfo=dt.UTC)


# Pieces of the text sent, computed once: it is built per datetime of every record, and string
# formatting is the bulk of the cost (a join of cached pieces is twice as fast as "%02d" % …).
_TWO_DIGITS = tuple(f"{n:02d}" for n in range(100))
_MILLISECONDS_Z = tuple(f".{n:03d}Z" for n in range(1000))
_DAYS: dict[int, str] = {}  # proleptic ordinal → "YYYY-MM-DDT"
_DAYS_KEPT = 1 << 13


def _day_text(value: dt.date) -> str:
    day = _DAYS.get(value.toordinal())
    if day is None:
        if len(_DAYS) >= _DAYS_KEPT:
            _DAYS.clear()
        day = _DAYS[value.toordinal()] = f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
    return day


def utc_text(value: dt.datetime) -> str:
    """An aware datetime as sent: ``YYYY-MM-DDTHH:MM:SS.sssZ`` in UTC."""
    offset = value.utcoffset()
    if offset:
        value = value - offset  # the UTC wall time (DateTime checked that it exists)
    two = _TWO_DIGITS
    return "".join(
        (
            _day_text(value),
            two[value.hour],
            ":",
            two[value.minute],
            ":",
            two[value.second],
            _MILLISECONDS_Z[value.microsecond // 1000],
        )
    )


def _date_sent(value: dt.date, given: Any) -> str:
    """A date as sent: text the date type accepted is ``YYYY-MM-DD`` already."""
    return given if type(given) is str else value.isoformat()


def time_text(value: dt.time) -> str:
    """A time of day as sent: ``HH:MM:SS.sssZ``."""
    two = _TWO_DIGITS
    return "".join(
        (
            two[value.hour],
            ":",
            two[value.minute],
            ":",
            two[value.second],
            _MILLISECONDS_Z[value.microsecond // 1000],
        )
    )


def _temporal_schema(
    marker: Marker,
    expected: str,
    text_pattern: str,
    strict_schema: CoreSchema,
    parse_schema: CoreSchema,
    serialization: cs.SerSchema | None,
) -> CoreSchema:
    """Text matching ``text_pattern`` or a strict object, parsed by ``parse_schema``; a failure
    is INVALID_TYPE_ON_FIELD_IN_RECORD naming what was expected."""
    ctx = marker.context()
    accepted = [cs.str_schema(strict=True, pattern=text_pattern), strict_schema]
    parse = with_error(
        parse_schema,
        INVALID_TYPE_ON_FIELD_IN_RECORD,
        not_of_required_type(marker.label, expected),
        {**ctx, "expected": expected},
    )
    present = [cs.str_schema(strict=True), strict_schema]
    return typed(accepted, expected, ctx, [parse], serialization=serialization, present=present)


@dataclass(frozen=True)
class DateOnly(Marker):
    """A date, from a ``date`` object or a ``YYYY-MM-DD`` string (a datetime is an error).

    Its schema keeps pydantic's own JSON serializer, which writes what ``json_form`` writes.
    """

    def json_form(self) -> Callable[[dt.date], str]:
        return dt.date.isoformat

    def payload_form(self) -> Callable[[dt.date, Any], str]:
        return _date_sent

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return _temporal_schema(
            self,
            "a date YYYY-MM-DD",
            DATE_TEXT,
            cs.date_schema(strict=True),
            cs.date_schema(),
            None,
        )


@dataclass(frozen=True)
class DateTime(Marker):
    """A timezone-aware datetime (object or ISO 8601 text with an offset); sent as UTC ``…Z``.

    A datetime whose UTC form falls outside the years 1-9999 cannot be sent and is an error.
    """

    def json_form(self) -> Callable[[dt.datetime], str]:
        return utc_text

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        # One parse step for the offset and the UTC range (a second step would cost 3x as much).
        return _temporal_schema(
            self,
            "a timezone-aware datetime whose UTC time is within the years 1 to 9999",
            DATETIME_TEXT,
            cs.datetime_schema(strict=True),
            cs.datetime_schema(tz_constraint="aware", ge=EARLIEST_UTC, le=LATEST_UTC),
            json_serializer(self),
        )


@dataclass(frozen=True)
class TimeOfDay(Marker):
    """A time of day, from a ``time`` or ``HH:MM[:SS[.sss]][Z]``; sent as ``HH:MM:SS.sssZ``."""

    def json_form(self) -> Callable[[dt.time], str]:
        return time_text

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return _temporal_schema(
            self,
            "a time HH:MM:SS.sssZ",
            TIME_TEXT,
            cs.time_schema(strict=True),
            cs.time_schema(),
            json_serializer(self),
        )
