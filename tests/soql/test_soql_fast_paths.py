"""The fast paths (one pass over a whole IN list) give exactly what the value-by-value path gives.

Three levels are compared on arbitrary input: the escaping of one string against the escape table
written out character by character (the SOQL reference's rules, not the code under test); a
whole list through ``literal_list`` against ``literal`` on each value; and IN-list nodes made in
one pass (``simple_literals``, used by the builder and by ``soql()``) against ``Literal(v)`` one
by one. Errors must be the same too.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfschema import ids
from sfschema.errors import SoqlError, SoqlSyntaxError
from sfschema.soql import field, literal, literal_list, parse, render, select, soql
from sfschema.soql.ast import Comparison, Field, Literal, ValueList, simple_literals
from sfschema.soql.literals import MAX_DECIMAL_DIGITS, needs_no_escape, simple_values

# The SOQL reference's escape table, one character at a time.
ESCAPE_LETTERS = {"\\": "\\", "'": "'", '"': '"', "\n": "n", "\r": "r", "\t": "t"}
ESCAPE_LETTERS |= {"\b": "b", "\f": "f"}

NASTY = st.text(
    alphabet=st.sampled_from(
        [*"'\\\"%_ \n\r\t\b\faZé€😀", "\x00", "\x07", "\x7f", "\x85", "\x9f", "\u2028", "\ud800"]
    )
)
TEXT = st.one_of(st.text(), NASTY, st.text(alphabet="abcXYZ019 -.,;:", max_size=30))
SF_IDS = st.builds(
    ids.make_id, st.sampled_from(["001", "003", "006", "00Q"]), st.integers(1, 10**9)
)
INTS = st.one_of(st.integers(-(10**6), 10**6), st.integers(-(10**45), 10**45))
SCALARS = st.one_of(
    TEXT,
    SF_IDS,
    INTS,
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1000, 1, 1)),
    st.datetimes(
        min_value=datetime(1000, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.just(timezone(timedelta(hours=-5))),
    ).flatmap(  # whole seconds render; fractional ones are errors on every path
        lambda moment: st.sampled_from([moment.replace(microsecond=0), moment])
    ),
    st.none(),
    st.booleans(),
)
# Lists that hit the fast paths most of the time (one kind), and mixed ones.
LISTS = st.one_of(
    st.lists(SF_IDS, min_size=1, max_size=40),
    st.lists(TEXT, min_size=1, max_size=20),
    st.lists(INTS, min_size=1, max_size=20),
    st.lists(SCALARS, min_size=1, max_size=10),
)


def reference_quote(value: str, *, like: bool = False) -> str:
    """A string literal written out by hand from the escape table (None if SOQL has no form)."""
    out = ["'"]
    for char in value:
        if char in ESCAPE_LETTERS:
            out.append("\\" + ESCAPE_LETTERS[char])
        elif like and char in "%_":
            out.append("\\" + char)
        elif unicodedata.category(char) in ("Cc", "Cs"):  # controls, lone surrogates
            raise SoqlError(f"no SOQL form for {char!r}")
        else:
            out.append(char)
    return "".join(out) + "'"


def outcome(function: Any, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """("ok", result) or ("error", message): fast and general paths must agree on both."""
    try:
        return "ok", function(*args, **kwargs)
    except SoqlError as exc:
        return "error", str(exc)


@settings(max_examples=400)
@given(TEXT, st.booleans())
def test_string_escaping_matches_the_table(value: str, like: bool) -> None:
    expected = outcome(reference_quote, value, like=like)
    got = outcome(literal, value, like=like)
    assert got[0] == expected[0]
    if got[0] == "ok":
        assert got[1] == expected[1]


@settings(max_examples=400)
@given(st.one_of(TEXT, st.lists(TEXT, max_size=50).map("".join)))
def test_needs_no_escape_is_the_character_rule(text: str) -> None:
    by_character = all(
        char not in ESCAPE_LETTERS and unicodedata.category(char) not in ("Cc", "Cs")
        for char in text
    )
    assert needs_no_escape(text) is by_character


@settings(max_examples=300)
@given(LISTS)
def test_literal_list_matches_literal_on_each_value(values: list[Any]) -> None:
    def one_by_one(items: list[Any]) -> str:
        return "(" + ", ".join(literal(item) for item in items) + ")"

    assert outcome(literal_list, values) == outcome(one_by_one, values)


@settings(max_examples=300)
@given(LISTS)
def test_simple_literals_equal_literal_nodes_one_by_one(values: list[Any]) -> None:
    fast = simple_literals(values)
    general = outcome(lambda: tuple(Literal(v) for v in values))
    if fast is None:  # not a plain-string or plain-int list, or one needing escapes
        assert not simple_values(values)
        return
    assert simple_values(values)
    assert general[0] == "ok"
    assert fast == general[1]
    assert [node.value for node in fast] == [node.value for node in general[1]]
    assert all(
        node.value is value and node.pos is None for node, value in zip(fast, values, strict=True)
    )
    assert [repr(node) for node in fast] == [repr(node) for node in general[1]]


@settings(max_examples=200)
@given(LISTS)
def test_builder_and_template_in_lists_match_the_general_path(values: list[Any]) -> None:
    def general() -> str:
        nodes = ValueList(tuple(Literal(v) for v in values))
        return render(Comparison(Field(("Id",)), "IN", nodes))

    expected = outcome(general)
    built = outcome(lambda: render(field("Id").in_(values)))
    assert built == expected
    template = outcome(soql, "SELECT Id FROM Account WHERE Id IN :ids", ids=values)
    if expected[0] == "ok":
        assert template == ("ok", "SELECT Id FROM Account WHERE Id IN " + expected[1][6:])
    else:
        assert template[0] == "error"
        assert template[1].endswith(expected[1])


def test_fast_in_list_nodes_are_frozen_literal_nodes() -> None:
    values = [ids.make_id("001", n) for n in range(1, 4)]
    in_list = field("Id").in_(values).right
    assert isinstance(in_list, ValueList)
    assert in_list.values == tuple(Literal(v) for v in values)
    node = in_list.values[0]
    assert isinstance(node, Literal)
    with pytest.raises(AttributeError):
        node.value = "x"  # type: ignore[misc]
    assert node.value == "001000000000001AAA" and node.pos is None


def test_integers_have_at_most_40_digits() -> None:
    largest = 10**MAX_DECIMAL_DIGITS - 1
    assert literal(largest) == "9" * 40
    assert literal_list([largest, -largest]) == f"({'9' * 40}, -{'9' * 40})"
    cases = [
        (10**MAX_DECIMAL_DIGITS, f"number 1{'0' * 40} has more than 40 digits"),
        (-(10**MAX_DECIMAL_DIGITS), f"number -1{'0' * 40} has more than 40 digits"),
        (10**100, f"number 1{'0' * 46}... has more than 40 digits"),
        (10**5000, "number of about 5,000 digits has more than 40 digits"),
    ]
    for too_big, message in cases:
        with pytest.raises(SoqlError) as info:
            literal(too_big)
        assert str(info.value) == message
        with pytest.raises(SoqlError) as info:
            literal_list([1, too_big])
        assert str(info.value) == message
        with pytest.raises(SoqlError) as info:
            field("Amount").in_([1, too_big])
        assert str(info.value) == message
    text = f"SELECT Id FROM Opportunity WHERE Amount > 1{'0' * 40}"
    with pytest.raises(SoqlSyntaxError) as syntax:
        parse(text)
    assert (syntax.value.reason, syntax.value.pos) == (cases[0][1], 42)


def test_the_fast_path_refuses_what_the_general_path_refuses() -> None:
    ok = ids.make_id("001", 1)
    with pytest.raises(SoqlError) as info:
        field("Id").in_([ok, "bell\x07"])
    assert str(info.value) == (
        "string 'bell\\x07' contains the control character '\\x07' (U+0007), which SOQL "
        "cannot escape; remove it (only \\n \\r \\t \\b \\f have escapes)"
    )
    assert render(field("Id").in_([ok, "it's"])) == f"Id IN ('{ok}', 'it\\'s')"
    assert render(field("N").in_([True, 1])) == "N IN (true, 1)"
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    assert literal_list([moment, Decimal("1.50"), None]) == "(2024-01-01T00:00:00Z, 1.50, null)"


@settings(max_examples=60)
@given(
    st.lists(st.one_of(SF_IDS, st.integers(-1000, 1000)), min_size=1, max_size=80),
    st.integers(1, 12),
    st.integers(1, 4),
)
def test_long_lists_parse_to_the_built_tree(values: list[Any], selected: int, ordered: int) -> None:
    """Long lists in every list position parse to the tree the builder makes, item by item."""
    fields = ", ".join(f"F{i}__c" for i in range(selected))
    order = ", ".join(f"F{i}__c DESC" for i in range(ordered))
    text = (
        f"SELECT {fields}, (SELECT Id, Name FROM Contacts) FROM Account "
        f"WHERE Id IN {literal_list(values)} AND Name NOT IN ('a', 'b') ORDER BY {order}"
    )
    tree = parse(text)
    built = (
        select(*(f"F{i}__c" for i in range(selected)), select("Id", "Name").from_("Contacts"))
        .from_("Account")
        .where(field("Id").in_(values), field("Name").not_in(["a", "b"]))
        .order_by(*(f"F{i}__c" for i in range(ordered)), desc=True)
    )
    assert tree == built.query
    assert len(tree.where.operands[0].right.values) == len(values)
    assert render(tree) == text
