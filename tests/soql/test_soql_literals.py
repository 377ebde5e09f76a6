"""literal(): the one way a Python value becomes SOQL text, and decode_string, its inverse."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfschema.errors import SoqlError
from sfschema.soql import LikePattern, like_escape, literal, literal_list, parse, soql
from sfschema.soql.literals import check_value, decode_string
from sfschema.soql.parser import parser

# The lexer's own definition of a string token.
STRING = re.compile(parser().get_terminal("STRING").pattern.to_regexp(), re.S)
ESCAPABLE = "\n\r\t\b\f"
NASTY = st.text(
    alphabet=st.sampled_from([*"'\\\"%_ \n\r\t\b\faZé€😀", "\x00", "\x07", "\x85", "\u2028"])
)


def _unescapable(value: str) -> list[str]:
    return [c for c in value if unicodedata.category(c) == "Cc" and c not in ESCAPABLE]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "'plain'"),
        ("O'Brien", "'O\\'Brien'"),
        ('say "hi"', "'say \\\"hi\\\"'"),
        ("back\\slash", "'back\\\\slash'"),
        ("a\nb\rc\td\be\ff", "'a\\nb\\rc\\td\\be\\ff'"),
        ("50%_off", "'50%_off'"),
        ("café €", "'café €'"),
        ("", "''"),
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (-42, "-42"),
        (10**30, "1000000000000000000000000000000"),
        (Decimal("1E-7"), "0.0000001"),
        (Decimal("1E+3"), "1000"),
        (Decimal("-0.50"), "-0.50"),
        (1e-07, "0.0000001"),
        (1.5e16, "15000000000000000"),
        (0.1, "0.1"),
        (date(2024, 2, 29), "2024-02-29"),
        (date(999, 1, 2), "0999-01-02"),
        (datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "2024-01-02T03:04:05Z"),
        (
            datetime(2024, 1, 2, 1, 0, tzinfo=timezone(timedelta(hours=2))),
            "2024-01-01T23:00:00Z",
        ),
        ([1, "a", None], "(1, 'a', null)"),
        ((date(2024, 1, 1),), "(2024-01-01)"),
        ({"b", "a"}, "('a', 'b')"),
        (LikePattern("50\\%%"), "'50\\%%'"),
        (LikePattern("it's\\\\%"), "'it\\'s\\\\%'"),
    ],
)
def test_literal_table(value: object, expected: str) -> None:
    assert literal(value) == expected


def test_like_literal_escapes_wildcards() -> None:
    assert literal("50%_off\\", like=True) == "'50\\%\\_off\\\\'"
    assert literal(["a_b"], like=True) == "('a\\_b')"
    assert like_escape("a%b_c\\d") == "a\\%b\\_c\\\\d"
    assert LikePattern.exact("x%").text == "x\\%"
    assert LikePattern.endswith("_x").text == "%\\_x"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "an IN list needs at least one value (Salesforce rejects '()')"),
        (set(), "an IN list needs at least one value (Salesforce rejects '()')"),
        (float("nan"), "nan has no SOQL form (numbers must be finite)"),
        (float("inf"), "inf has no SOQL form (numbers must be finite)"),
        (Decimal("NaN"), "NaN has no SOQL form (numbers must be finite)"),
        (Decimal("-Infinity"), "-Infinity has no SOQL form (numbers must be finite)"),
        (
            datetime(2024, 1, 1, 12, 0),
            "datetime 2024-01-01T12:00:00 is naive; SOQL needs a time zone (use "
            "datetime(..., tzinfo=UTC) or .astimezone())",
        ),
        (
            b"bytes",
            "a bytes value (b'bytes') has no SOQL form; use str, int, Decimal, float, bool, "
            "None, date, aware datetime, LikePattern or a list of these",
        ),
        (
            "nul\x00",
            "string 'nul\\x00' contains the control character '\\x00' (U+0000), which SOQL "
            "cannot escape; remove it (only \\n \\r \\t \\b \\f have escapes)",
        ),
        (
            "bell\x07",
            "string 'bell\\x07' contains the control character '\\x07' (U+0007), which SOQL "
            "cannot escape; remove it (only \\n \\r \\t \\b \\f have escapes)",
        ),
        ([[1]], "lists cannot be nested in SOQL: [1]"),
        (
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
            "datetime 0001-01-01T00:00:00+05:00 is out of range in UTC",
        ),
        # Sub-second precision is never dropped: '> 01:01:01.5' is not '> 01:01:01'.
        (
            datetime(2024, 1, 2, 1, 1, 1, 500000, tzinfo=UTC),
            "datetime 2024-01-02T01:01:01.500000+00:00 has fractional seconds, which SOQL "
            "datetimes cannot express; truncate (.replace(microsecond=0)) or round it to whole "
            "seconds yourself",
        ),
        (
            datetime(2024, 1, 2, 1, 1, 1, tzinfo=timezone(timedelta(hours=1, microseconds=5))),
            "datetime 2024-01-02T01:01:01+01:00:00.000005 (2024-01-02T00:01:00.999995+00:00 in "
            "UTC) has fractional seconds, which SOQL datetimes cannot express; truncate "
            "(.replace(microsecond=0)) or round it to whole seconds yourself",
        ),
        (
            [datetime(2024, 1, 2, tzinfo=UTC), datetime(2024, 1, 2, 0, 0, 0, 1, tzinfo=UTC)],
            "datetime 2024-01-02T00:00:00.000001+00:00 has fractional seconds, which SOQL "
            "datetimes cannot express; truncate (.replace(microsecond=0)) or round it to whole "
            "seconds yourself",
        ),
    ],
)
def test_literal_errors(value: object, message: str) -> None:
    with pytest.raises(SoqlError) as info:
        literal(value)
    assert str(info.value) == message


def test_like_pattern_rejects_stray_backslash() -> None:
    with pytest.raises(SoqlError, match=r"a backslash may only precede %, _ or another"):
        LikePattern("a\\b")
    with pytest.raises(SoqlError):
        LikePattern("trailing\\")


def test_decode_string() -> None:
    assert decode_string("it\\'s \\N\\T \\u00e9\\\\") == "it's \n\t é\\"
    assert decode_string("a\\%b\\_c\\\\", like=True) == "a\\%b\\_c\\\\"
    assert decode_string("\\ud83d\\ude00") == "😀"
    with pytest.raises(SoqlError, match=r"invalid escape sequence \\% in string literal"):
        decode_string("50\\%")
    with pytest.raises(SoqlError, match=r"invalid escape sequence \\x"):
        decode_string("\\x41")
    with pytest.raises(SoqlError, match="unpaired"):
        decode_string("\\ud800")


def test_check_value_canonicalises() -> None:
    assert check_value(0.5) == Decimal("0.5")
    moment = datetime(2024, 1, 1, 12, 0, 0, tzinfo=timezone(timedelta(hours=-5)))
    canonical = check_value(moment)
    assert canonical == datetime(2024, 1, 1, 17, 0, tzinfo=UTC) and canonical.tzinfo is UTC
    with pytest.raises(SoqlError, match="has fractional seconds"):
        check_value(moment.replace(microsecond=999))
    with pytest.raises(SoqlError, match="a list is not a single value"):
        check_value([1])


@settings(max_examples=300)
@given(st.one_of(st.text(), NASTY))
def test_any_string_is_one_token_that_decodes_to_itself(value: str) -> None:
    if _unescapable(value):
        with pytest.raises(SoqlError, match="cannot escape"):
            literal(value)
        return
    text = literal(value)
    assert STRING.fullmatch(text)
    assert decode_string(text[1:-1]) == value
    query = parse(f"SELECT Id FROM Account WHERE Name = {text} AND Id != null")
    assert query.where.operands[0].right.value == value  # type: ignore[union-attr]


def _literal_match_text(pattern: str) -> str | None:
    """The text a LIKE pattern matches, or None when it has a wildcard."""
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index + 1])
            index += 2
            continue
        if char in "%_":
            return None
        out.append(char)
        index += 1
    return "".join(out)


@settings(max_examples=300)
@given(st.one_of(st.text(), NASTY))
def test_like_literal_matches_exactly_the_string(value: str) -> None:
    if _unescapable(value):
        with pytest.raises(SoqlError):
            literal(value, like=True)
        return
    text = literal(value, like=True)
    assert STRING.fullmatch(text)
    pattern = parse(f"SELECT Id FROM Account WHERE Name LIKE {text}").where.right.value  # type: ignore[union-attr]
    assert isinstance(pattern, LikePattern)
    assert _literal_match_text(pattern.text) == value


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_decimals_are_plain_and_exact(value: Decimal) -> None:
    try:
        text = literal(value)
    except SoqlError as exc:
        assert "digits" in str(exc)
        return
    assert "e" not in text.lower()
    assert Decimal(text) == value
    assert parse(f"SELECT Id FROM A WHERE X = {text}").where.right.value == value  # type: ignore[union-attr]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_are_plain(value: float) -> None:
    try:
        text = literal(value)
    except SoqlError as exc:
        assert "digits" in str(exc)
        return
    assert re.fullmatch(r"-?\d+(\.\d+)?", text)
    assert Decimal(text) == Decimal(repr(value))


@given(
    st.datetimes(
        min_value=datetime(1000, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.integers(-23 * 60, 23 * 60).map(lambda m: timezone(timedelta(minutes=m))),
    )
)
def test_aware_datetimes_render_as_utc_z(value: datetime) -> None:
    if value.microsecond:  # never truncated silently
        with pytest.raises(SoqlError) as info:
            literal(value)
        assert str(info.value) == (
            f"datetime {value.isoformat()} has fractional seconds, which SOQL datetimes cannot "
            "express; truncate (.replace(microsecond=0)) or round it to whole seconds yourself"
        )
        value = value.replace(microsecond=0)
    text = literal(value)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text)
    parsed = parse(f"SELECT Id FROM A WHERE D = {text}").where.right.value  # type: ignore[union-attr]
    assert parsed == value  # the same instant, exactly


@given(st.dates(min_value=date(1000, 1, 1)))
def test_dates_round_trip(value: date) -> None:
    parsed = parse(f"SELECT Id FROM A WHERE D = {literal(value)}").where.right.value  # type: ignore[union-attr]
    assert parsed == value and not isinstance(parsed, datetime)


def test_literal_list_of_nothing_from_a_generator() -> None:
    with pytest.raises(SoqlError, match="at least one value"):
        literal_list(x for x in ())  # type: ignore[var-annotated]


SET_SCRIPT = """
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from sfschema.soql import field, literal, select, soql
mixed = {"b", "a", 10, 9, None, date(2024, 1, 1), Decimal("2.5")}
moments = frozenset({
    datetime(2024, 1, 1, 8, tzinfo=UTC),
    datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=5))),
})
print(literal(mixed))
print(literal(moments))
print(select("Id").from_("A").where(field("X").in_(mixed)))
print(soql("SELECT Id FROM A WHERE X IN :x", x=mixed))
"""
SET_OUTPUT = (
    "('a', 'b', 10, 2.5, 2024-01-01, 9, null)\n"
    "(2024-01-01T07:00:00Z, 2024-01-01T08:00:00Z)\n"
    "SELECT Id FROM A WHERE X IN ('a', 'b', 10, 2.5, 2024-01-01, 9, null)\n"
    "SELECT Id FROM A WHERE X IN ('a', 'b', 10, 2.5, 2024-01-01, 9, null)\n"
)


@pytest.mark.parametrize("seed", ["0", "1", "2"])
def test_sets_render_in_the_order_of_their_soql_text(seed: str) -> None:
    """The same text whatever order the set iterates in (string hashes vary with the seed)."""
    done = subprocess.run(
        [sys.executable, "-c", SET_SCRIPT],
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, SET_OUTPUT, "")


@settings(max_examples=100)
@given(st.sets(st.one_of(st.text(max_size=5), st.integers(), st.none()), min_size=1))
def test_a_set_renders_like_its_items_sorted_by_text(values: set[object]) -> None:
    try:
        texts = sorted(literal(v) for v in values)
    except SoqlError:
        return  # an unescapable character: literal() refuses the set too (tested above)
    assert literal(values) == "(" + ", ".join(texts) + ")"
    assert literal(frozenset(values)) == literal(values)


def test_a_bad_value_in_a_set_names_the_parameter() -> None:
    with pytest.raises(SoqlError) as info:
        soql("SELECT Id FROM A WHERE X IN :x", x={"a", datetime(2024, 1, 1)})
    assert str(info.value) == (
        ":x: datetime 2024-01-01T00:00:00 is naive; SOQL needs a time zone (use "
        "datetime(..., tzinfo=UTC) or .astimezone())"
    )


def test_huge_decimal_exponents_are_refused_before_being_written_out() -> None:
    for value, shown in (
        (Decimal("1E+999999999"), "1E+999999999"),
        (Decimal("5E-999999"), "5E-999999"),
    ):
        with pytest.raises(SoqlError) as info:
            literal(value)
        assert str(info.value) == f"number {shown} has more than 40 digits"
    assert literal(Decimal("9.9E+39")) == "99" + "0" * 38
    assert literal(Decimal("1E-39")) == "0." + "0" * 38 + "1"


def test_a_like_pattern_is_refused_outside_like() -> None:
    """``'50\\%'`` is an invalid escape outside LIKE: a pattern is refused there."""
    from sfschema.soql import LikePattern, field, select, soql

    message = (
        "LikePattern('50\\\\%') is a LIKE pattern, but the operator is {op}; compare with the "
        "plain text (a str), or use LIKE"
    )
    with pytest.raises(SoqlError) as info:
        select("Id").from_("A").where(field("Name") == LikePattern.exact("50%"))
    assert str(info.value) == message.format(op="=")
    with pytest.raises(SoqlError) as info:
        soql("SELECT Id FROM A WHERE Name IN :n", n=[LikePattern.exact("50%")])
    assert str(info.value) == message.format(op="IN")
    assert (
        soql("SELECT Id FROM A WHERE Name = :n", n="50%") == "SELECT Id FROM A WHERE Name = '50%'"
    )
    assert (
        soql("SELECT Id FROM A WHERE Name LIKE :n", n=LikePattern.exact("50%"))
        == "SELECT Id FROM A WHERE Name LIKE '50\\%'"
    )
