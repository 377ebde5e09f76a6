"""The canonical date-literal table: every entry named by rule, parsed, rendered and ranged."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfschema.errors import SoqlError
from sfschema.soql import DATE_LITERALS, date_range, datetime_range, parse, render
from sfschema.soql.ast import Comparison, DateLiteral
from sfschema.soql.dates import DateLiteralSpec

# The list in the SOQL reference ("Date Formats and Date Literals"), transcribed separately.
DOCUMENTED = str.split("""
YESTERDAY TODAY TOMORROW LAST_WEEK THIS_WEEK NEXT_WEEK LAST_MONTH THIS_MONTH NEXT_MONTH
LAST_90_DAYS NEXT_90_DAYS LAST_N_DAYS:n NEXT_N_DAYS:n N_DAYS_AGO:n NEXT_N_WEEKS:n
LAST_N_WEEKS:n N_WEEKS_AGO:n NEXT_N_MONTHS:n LAST_N_MONTHS:n N_MONTHS_AGO:n THIS_QUARTER
LAST_QUARTER NEXT_QUARTER NEXT_N_QUARTERS:n LAST_N_QUARTERS:n N_QUARTERS_AGO:n THIS_YEAR
LAST_YEAR NEXT_YEAR NEXT_N_YEARS:n LAST_N_YEARS:n N_YEARS_AGO:n THIS_FISCAL_QUARTER
LAST_FISCAL_QUARTER NEXT_FISCAL_QUARTER NEXT_N_FISCAL_QUARTERS:n LAST_N_FISCAL_QUARTERS:n
N_FISCAL_QUARTERS_AGO:n THIS_FISCAL_YEAR LAST_FISCAL_YEAR NEXT_FISCAL_YEAR
NEXT_N_FISCAL_YEARS:n LAST_N_FISCAL_YEARS:n N_FISCAL_YEARS_AGO:n
""")


def _composed(kind: str, unit: str, fixed_n: int | None) -> str:
    """The name a (kind, unit) pair must have, by the naming rule of the reference."""
    units = {"day": "DAYS", "week": "WEEKS", "month": "MONTHS", "quarter": "QUARTERS"}
    units |= {"year": "YEARS", "fiscal_quarter": "FISCAL_QUARTERS", "fiscal_year": "FISCAL_YEARS"}
    if kind in ("yesterday", "today", "tomorrow"):
        return kind.upper()
    if kind in ("last", "this", "next"):
        return f"{kind.upper()}_{unit.upper()}"
    if fixed_n is not None:
        return f"{kind[:4].upper()}_{fixed_n}_{units[unit]}"
    if kind in ("last_n", "next_n"):
        return f"{kind[:4].upper()}_N_{units[unit]}"
    assert kind == "ago"
    return f"N_{units[unit]}_AGO"


def test_table_is_the_documented_list() -> None:
    names = [s.name + (":n" if s.takes_n else "") for s in DATE_LITERALS]
    assert sorted(names) == sorted(DOCUMENTED)
    assert len(names) == len(set(names)) == 44


@pytest.mark.parametrize("spec", DATE_LITERALS, ids=lambda s: s.name)
def test_each_entry(spec: DateLiteralSpec) -> None:
    assert spec.name.isascii() and re.fullmatch(r"[A-Z0-9_]+", spec.name)
    assert spec.name == _composed(spec.kind, spec.unit, spec.fixed_n)
    text = spec.name + (":3" if spec.takes_n else "")
    query = parse(f"SELECT Id FROM Account WHERE CreatedDate = {text.lower()}")
    assert isinstance(query.where, Comparison)
    assert query.where.right == DateLiteral(spec.name, 3 if spec.takes_n else None)
    assert render(query) == f"SELECT Id FROM Account WHERE CreatedDate = {text}"


TODAY = date(2024, 3, 13)  # a Wednesday in a leap year
D = date
RANGES = {
    ("YESTERDAY", None): (D(2024, 3, 12), D(2024, 3, 13)),
    ("TODAY", None): (D(2024, 3, 13), D(2024, 3, 14)),
    ("TOMORROW", None): (D(2024, 3, 14), D(2024, 3, 15)),
    ("LAST_WEEK", None): (D(2024, 3, 3), D(2024, 3, 10)),
    ("THIS_WEEK", None): (D(2024, 3, 10), D(2024, 3, 17)),
    ("NEXT_WEEK", None): (D(2024, 3, 17), D(2024, 3, 24)),
    ("LAST_MONTH", None): (D(2024, 2, 1), D(2024, 3, 1)),
    ("THIS_MONTH", None): (D(2024, 3, 1), D(2024, 4, 1)),
    ("NEXT_MONTH", None): (D(2024, 4, 1), D(2024, 5, 1)),
    ("LAST_90_DAYS", None): (D(2023, 12, 14), D(2024, 3, 14)),
    ("NEXT_90_DAYS", None): (D(2024, 3, 14), D(2024, 6, 12)),
    ("LAST_QUARTER", None): (D(2023, 10, 1), D(2024, 1, 1)),
    ("THIS_QUARTER", None): (D(2024, 1, 1), D(2024, 4, 1)),
    ("NEXT_QUARTER", None): (D(2024, 4, 1), D(2024, 7, 1)),
    ("LAST_YEAR", None): (D(2023, 1, 1), D(2024, 1, 1)),
    ("THIS_YEAR", None): (D(2024, 1, 1), D(2025, 1, 1)),
    ("NEXT_YEAR", None): (D(2025, 1, 1), D(2026, 1, 1)),
    ("LAST_FISCAL_QUARTER", None): (D(2023, 10, 1), D(2024, 1, 1)),
    ("THIS_FISCAL_QUARTER", None): (D(2024, 1, 1), D(2024, 4, 1)),
    ("NEXT_FISCAL_QUARTER", None): (D(2024, 4, 1), D(2024, 7, 1)),
    ("LAST_FISCAL_YEAR", None): (D(2023, 1, 1), D(2024, 1, 1)),
    ("THIS_FISCAL_YEAR", None): (D(2024, 1, 1), D(2025, 1, 1)),
    ("NEXT_FISCAL_YEAR", None): (D(2025, 1, 1), D(2026, 1, 1)),
    ("LAST_N_DAYS", 7): (D(2024, 3, 6), D(2024, 3, 14)),
    ("NEXT_N_DAYS", 7): (D(2024, 3, 14), D(2024, 3, 21)),
    ("N_DAYS_AGO", 7): (D(2024, 3, 6), D(2024, 3, 7)),
    ("LAST_N_WEEKS", 2): (D(2024, 2, 25), D(2024, 3, 10)),
    ("NEXT_N_WEEKS", 2): (D(2024, 3, 17), D(2024, 3, 31)),
    ("N_WEEKS_AGO", 2): (D(2024, 2, 25), D(2024, 3, 3)),
    ("LAST_N_MONTHS", 2): (D(2024, 1, 1), D(2024, 3, 1)),
    ("NEXT_N_MONTHS", 2): (D(2024, 4, 1), D(2024, 6, 1)),
    ("N_MONTHS_AGO", 2): (D(2024, 1, 1), D(2024, 2, 1)),
    ("LAST_N_QUARTERS", 2): (D(2023, 7, 1), D(2024, 1, 1)),
    ("NEXT_N_QUARTERS", 2): (D(2024, 4, 1), D(2024, 10, 1)),
    ("N_QUARTERS_AGO", 2): (D(2023, 7, 1), D(2023, 10, 1)),
    ("LAST_N_YEARS", 2): (D(2022, 1, 1), D(2024, 1, 1)),
    ("NEXT_N_YEARS", 2): (D(2025, 1, 1), D(2027, 1, 1)),
    ("N_YEARS_AGO", 2): (D(2022, 1, 1), D(2023, 1, 1)),
    ("LAST_N_FISCAL_QUARTERS", 2): (D(2023, 7, 1), D(2024, 1, 1)),
    ("NEXT_N_FISCAL_QUARTERS", 2): (D(2024, 4, 1), D(2024, 10, 1)),
    ("N_FISCAL_QUARTERS_AGO", 2): (D(2023, 7, 1), D(2023, 10, 1)),
    ("LAST_N_FISCAL_YEARS", 2): (D(2022, 1, 1), D(2024, 1, 1)),
    ("NEXT_N_FISCAL_YEARS", 2): (D(2025, 1, 1), D(2027, 1, 1)),
    ("N_FISCAL_YEARS_AGO", 2): (D(2022, 1, 1), D(2023, 1, 1)),
}


def test_every_literal_has_a_hand_computed_range() -> None:
    assert {name for name, _ in RANGES} == {s.name for s in DATE_LITERALS}
    for (name, n), expected in RANGES.items():
        assert date_range(name, n, today=TODAY) == expected, name


FISCAL_APRIL = {
    ("THIS_FISCAL_YEAR", None): (D(2023, 4, 1), D(2024, 4, 1)),
    ("LAST_FISCAL_YEAR", None): (D(2022, 4, 1), D(2023, 4, 1)),
    ("NEXT_FISCAL_YEAR", None): (D(2024, 4, 1), D(2025, 4, 1)),
    ("THIS_FISCAL_QUARTER", None): (D(2024, 1, 1), D(2024, 4, 1)),
    ("LAST_FISCAL_QUARTER", None): (D(2023, 10, 1), D(2024, 1, 1)),
    ("NEXT_FISCAL_QUARTER", None): (D(2024, 4, 1), D(2024, 7, 1)),
    ("LAST_N_FISCAL_YEARS", 2): (D(2021, 4, 1), D(2023, 4, 1)),
    ("N_FISCAL_QUARTERS_AGO", 1): (D(2023, 10, 1), D(2024, 1, 1)),
    ("THIS_QUARTER", None): (D(2024, 1, 1), D(2024, 4, 1)),  # calendar: unaffected
}


def test_fiscal_year_starting_in_april() -> None:
    for (name, n), expected in FISCAL_APRIL.items():
        assert date_range(name, n, today=TODAY, fiscal_year_start_month=4) == expected, name
    february = date_range("THIS_FISCAL_QUARTER", today=TODAY, fiscal_year_start_month=2)
    assert february == (D(2024, 2, 1), D(2024, 5, 1))


def test_week_start_is_a_setting() -> None:
    assert date_range("THIS_WEEK", today=TODAY, week_start=0) == (D(2024, 3, 11), D(2024, 3, 18))
    sunday = D(2024, 3, 10)
    assert date_range("THIS_WEEK", today=sunday) == (D(2024, 3, 10), D(2024, 3, 17))
    assert date_range("LAST_WEEK", today=sunday, week_start=0) == (D(2024, 2, 26), D(2024, 3, 4))


def test_datetime_range_uses_the_users_midnight() -> None:
    pacific = timezone(timedelta(hours=-8))
    now = datetime(2024, 3, 13, 2, 0, tzinfo=UTC)  # still 12 March in UTC-8
    start, end = datetime_range("TODAY", now=now, tz=pacific)
    assert (start, end) == (
        datetime(2024, 3, 12, tzinfo=pacific),
        datetime(2024, 3, 13, tzinfo=pacific),
    )
    assert start.astimezone(UTC) == datetime(2024, 3, 12, 8, 0, tzinfo=UTC)
    with pytest.raises(SoqlError, match="timezone-aware"):
        datetime_range("TODAY", now=datetime(2024, 3, 13), tz=pacific)


@pytest.mark.parametrize(
    ("name", "n", "message"),
    [
        ("LAST_N_DAYS", None, "date literal LAST_N_DAYS needs a whole number: LAST_N_DAYS:n"),
        ("TODAY", 3, "date literal TODAY takes no number (got TODAY:3)"),
        ("N_DAYS_AGO", -1, "date literal N_DAYS_AGO:-1: n must not be negative"),
        ("LAST_N_DAY", 1, "unknown date literal 'LAST_N_DAY' (did you mean 'LAST_N_DAYS'"),
    ],
)
def test_bad_date_literals(name: str, n: int | None, message: str) -> None:
    with pytest.raises(SoqlError) as info:
        DateLiteral(name, n)
    assert str(info.value).startswith(message)


def test_ranges_beyond_python_dates_are_errors() -> None:
    with pytest.raises(SoqlError) as info:
        date_range("LAST_N_DAYS", 10**30, today=D(2024, 1, 1))
    assert str(info.value) == (
        "LAST_N_DAYS:1000000000000000000000000000000 reaches past the dates Python can hold "
        "(years 1-9999)"
    )
    with pytest.raises(SoqlError) as info:
        date_range("TOMORROW", today=D(9999, 12, 31))
    assert str(info.value) == "TOMORROW reaches past the dates Python can hold (years 1-9999)"


def test_parser_rejects_unknown_or_incomplete_literals() -> None:
    for text in ("LAST_N_DAYS", "LAST_N_DAYS:", "NEXT_WEEKS", "TODAY:1"):
        with pytest.raises(SoqlError):
            parse(f"SELECT Id FROM Account WHERE CreatedDate = {text}")


@given(
    st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)),
    st.integers(min_value=1, max_value=400),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=6),
)
def test_ranges_are_consistent(today: date, n: int, fiscal: int, week: int) -> None:
    def rng(name: str, count: int | None = None) -> tuple[date, date]:
        return date_range(name, count, today=today, fiscal_year_start_month=fiscal, week_start=week)

    for spec in DATE_LITERALS:
        start, end = rng(spec.name, n if spec.takes_n else None)
        assert start < end
        if spec.kind in ("today", "this"):
            assert start <= today < end
    assert (rng("LAST_N_DAYS", n)[1] - rng("LAST_N_DAYS", n)[0]).days == n + 1
    assert rng("LAST_N_DAYS", 90) == rng("LAST_90_DAYS")
    assert rng("NEXT_N_DAYS", 90) == rng("NEXT_90_DAYS")
    for unit in ("WEEK", "MONTH", "QUARTER", "YEAR", "FISCAL_QUARTER", "FISCAL_YEAR"):
        plural = unit + "S"
        assert rng(f"LAST_N_{plural}", 1) == rng(f"LAST_{unit}")
        assert rng(f"NEXT_N_{plural}", 1) == rng(f"NEXT_{unit}")
        assert rng(f"N_{plural}_AGO", 0) == rng(f"THIS_{unit}")
        assert rng(f"LAST_N_{plural}", n)[1] == rng(f"THIS_{unit}")[0]
