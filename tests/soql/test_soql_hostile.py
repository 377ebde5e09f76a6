"""Values and names whose classes lie: only the value they hold ever reaches SOQL text.

int, str, float, Decimal and date subclasses (``IntEnum`` members, numpy-like float64 whose repr
is not a number, classes overriding ``__str__``/``__repr__``/``__format__``/``__radd__``/
``translate``/``replace``/``upper``/``__lt__``) go through ``literal()``, ``soql()`` templates,
the builder, ``.limit()``/``.offset()``, ``date_literal("LAST_N_DAYS", n)`` and IN lists.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfschema.errors import SoqlError
from sfschema.soql import date_literal, field, literal, parse, select, soql
from sfschema.soql.ast import Literal

INJECTION = "1 OR Name != null"


class Size(enum.IntEnum):
    BIG = 2


class Stage(enum.StrEnum):
    WON = "Closed Won"


class LyingInt(int):
    def __str__(self) -> str:
        return INJECTION

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return INJECTION

    def __lt__(self, other: object) -> bool:
        return True

    def __gt__(self, other: object) -> bool:
        return True

    def __int__(self) -> int:
        return 10**50

    def __index__(self) -> int:
        return 10**50


class LyingStr(str):
    def __str__(self) -> str:
        return f"x' OR {INJECTION} OR Name = 'x"

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return str(self)

    def __radd__(self, other: object) -> str:
        return str(self)

    def __add__(self, other: object) -> str:
        return str(self)

    def translate(self, table: Any) -> str:
        return str(self)

    def replace(self, *args: Any) -> str:  # type: ignore[override]
        return str(self)

    def upper(self) -> str:
        return "NAME"


class NumpyLikeFloat(float):
    def __repr__(self) -> str:
        return f"np.float64({float.__repr__(self)})"

    __str__ = __repr__


class LyingDecimal(Decimal):
    def __format__(self, spec: str, *args: Any) -> str:
        return INJECTION

    def __str__(self) -> str:
        return INJECTION


class LyingDate(date):
    def __format__(self, spec: str) -> str:
        return INJECTION

    def isoformat(self) -> str:
        return INJECTION


def test_literal_writes_the_value_never_the_object_text() -> None:
    assert literal(Size.BIG) == "2"
    assert literal(LyingInt(7)) == "7"
    assert literal(LyingStr("O'Brien")) == "'O\\'Brien'"
    assert literal(LyingStr("50%"), like=True) == "'50\\%'"
    assert literal(Stage.WON) == "'Closed Won'"
    assert literal(NumpyLikeFloat(1.5)) == "1.5"
    assert literal(LyingDecimal("2.50")) == "2.50"
    assert literal(LyingDate(2024, 1, 31)) == "2024-01-31"
    assert literal([Size.BIG, LyingInt(3), LyingStr("a")]) == "(2, 3, 'a')"


def test_a_nan_float_subclass_is_a_soql_error_not_invalid_operation() -> None:
    with pytest.raises(SoqlError, match=r"^nan has no SOQL form"):
        literal(NumpyLikeFloat("nan"))
    with pytest.raises(SoqlError, match=r"^inf has no SOQL form"):
        Literal(NumpyLikeFloat("inf"))


def test_templates_builder_and_clauses_write_numbers_from_their_value() -> None:
    text = soql(
        "SELECT Id FROM Opportunity WHERE Amount > :amount AND StageName = :stage "
        "AND Probability IN :ps AND CloseDate = :since",
        amount=LyingInt(1000),
        stage=LyingStr("Won"),
        ps=[Size.BIG, LyingInt(50), NumpyLikeFloat(0.5)],
        since=date_literal("LAST_N_DAYS", LyingInt(30)),
    )
    assert text == (
        "SELECT Id FROM Opportunity WHERE Amount > 1000 AND StageName = 'Won' "
        "AND Probability IN (2, 50, 0.5) AND CloseDate = LAST_N_DAYS:30"
    )
    built = (
        select("Id")
        .from_("Account")
        .where(field("NumberOfEmployees") >= Size.BIG, field("Name") == LyingStr("a'b"))
        .limit(LyingInt(5))
        .offset(Size.BIG)
    )
    assert str(built) == (
        "SELECT Id FROM Account WHERE NumberOfEmployees >= 2 AND Name = 'a\\'b' LIMIT 5 OFFSET 2"
    )
    assert type(built.query.limit) is int and type(built.query.offset) is int


def test_names_given_as_str_subclasses_are_their_text() -> None:
    built = select(LyingStr("Name")).from_(LyingStr("Account")).where(field("Id") == "x")
    assert str(built) == "SELECT Name FROM Account WHERE Id = 'x'"
    with pytest.raises(SoqlError, match="reserved word"):
        select("Id").from_(LyingStr("FROM"))  # upper() lies; the text is read, not the method


def test_a_negative_count_cannot_hide_behind_comparisons() -> None:
    with pytest.raises(SoqlError, match=r"^LIMIT must be a whole number ≥ 0, got -1$"):
        select("Id").from_("A").limit(LyingInt(-1))


HOSTILE_INTS = st.integers(-(10**12), 10**12).flatmap(
    lambda n: st.sampled_from([LyingInt(n), Size.BIG, n])
)
HOSTILE_NUMBERS = st.one_of(
    HOSTILE_INTS,
    st.integers(-(10**9), 10**9).map(lambda n: NumpyLikeFloat(n / 1000)),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(LyingDecimal),
)
HOSTILE_TEXT = st.text(  # every character SOQL can write: quotes, escapes, wildcards included
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cc", "Cs")), st.sampled_from("'\"\\%_\n\t")
    ),
    max_size=20,
).map(LyingStr)


@settings(max_examples=60, deadline=None)
@given(value=st.one_of(HOSTILE_NUMBERS, HOSTILE_TEXT), count=st.integers(0, 1999))
def test_hostile_values_never_change_the_query_shape(value: Any, count: int) -> None:
    """Whatever the object's own methods say, the rendered query parses back to one comparison
    holding the plain value, and LIMIT holds the plain number."""
    plain = (
        str.__str__(value)
        if isinstance(value, str)
        else int.__int__(value)
        if isinstance(value, int)
        else Decimal(float.__repr__(value))
        if isinstance(value, float)
        else Decimal(value)
    )
    text = soql("SELECT Id FROM A WHERE X = :v LIMIT 1", v=value)
    tree = parse(text)
    assert tree.where == parse(soql("SELECT Id FROM A WHERE X = :v LIMIT 1", v=plain)).where
    assert tree.where.right.value == plain  # type: ignore[union-attr]
    limited = select("Id").from_("A").limit(LyingInt(count))
    assert str(limited) == f"SELECT Id FROM A LIMIT {count}"


def test_datetime_subclass_is_read_as_its_instant() -> None:
    class LyingDatetime(datetime):
        def __format__(self, spec: str) -> str:
            return INJECTION

        def astimezone(self, tz: Any = None) -> Any:
            return INJECTION

    moment = LyingDatetime(2024, 1, 31, 12, 0, 0, tzinfo=UTC)
    assert literal(moment) == "2024-01-31T12:00:00Z"
