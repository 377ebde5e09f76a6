"""WHERE and HAVING: a condition compiled once into a predicate over rows.

Semantics (SOQL and SOSL Reference, "Comparison Operators", "Date Formats and Date Literals"):

* text compares without case; ids by their 18-character form; LIKE is case-insensitive with
  ``%`` (any run) and ``_`` (one character), ``\\%`` and ``\\_`` literal;
* null is a value: ``= null`` finds empty fields, ``!= 'x'`` and ``NOT IN (…)`` include them;
  ``<`` ``>`` LIKE and INCLUDES never match an empty field (EXCLUDES does);
* a date literal is a range of days starting at midnight in the user's time zone: ``=`` means
  within it, ``<`` before its start, ``>`` from its end on, ``<=`` before its end, ``>=`` from
  its start;
* a multi-select ``=`` compares the set of values; ``INCLUDES ('a;b', 'c')`` means (a and b) or c.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sfschema.emulator.soql_eval.objects import Context, ObjectView
from sfschema.emulator.soql_eval.terms import term
from sfschema.emulator.soql_eval.values import comparable, like_match, like_tokens
from sfschema.errors import SoqlError
from sfschema.salesforce_errors import MALFORMED_QUERY
from sfschema.soql import dates
from sfschema.soql.ast import (
    And,
    Comparison,
    Currency,
    DateLiteral,
    Literal,
    Not,
    Or,
    Param,
    SubQuery,
    ValueList,
)
from sfschema.soql.literals import LikePattern

Row = Any
Predicate = Callable[[Row], bool]
# An operand compiled for the rows at hand: its comparison kind and how to read it from a row.
Operand = tuple[str, Callable[[Row], Any]]
OperandCompiler = Callable[[Any], Operand]
SemiJoin = Callable[[SubQuery], frozenset[Any]]


def record_operands(ctx: Context, obj: ObjectView, alias: str | None) -> OperandCompiler:
    """How WHERE reads a field or a date function of a record (others are refused)."""

    def compile_operand(expr: Any) -> Operand:
        found = term(ctx, obj, alias, expr, "WHERE")
        return found.kind, found.read

    return compile_operand


def compile_condition(
    ctx: Context, node: Any, operand: OperandCompiler, semi_join: SemiJoin
) -> Predicate:
    """The predicate of a condition tree (every name resolved now, before any row is read)."""
    if isinstance(node, And):
        parts = [compile_condition(ctx, op, operand, semi_join) for op in node.operands]
        return lambda row: all(part(row) for part in parts)
    if isinstance(node, Or):
        parts = [compile_condition(ctx, op, operand, semi_join) for op in node.operands]
        return lambda row: any(part(row) for part in parts)
    if isinstance(node, Not):
        inner = compile_condition(ctx, node.operand, operand, semi_join)
        return lambda row: not inner(row)
    assert isinstance(node, Comparison)
    kind, read = operand(node.left)
    return _comparison(ctx, node, kind, read, semi_join)


def _comparison(
    ctx: Context, node: Comparison, kind: str, read: Callable[[Row], Any], semi_join: SemiJoin
) -> Predicate:
    op, right = node.op, node.right
    if isinstance(right, SubQuery):
        members = semi_join(right)
        if op == "IN":
            return lambda row: read(row) in members
        return lambda row: read(row) not in members
    if op in ("INCLUDES", "EXCLUDES"):
        assert isinstance(right, ValueList)
        wanted = [_multi_set(ctx, value, kind) for value in right.values]

        def includes(row: Row) -> bool:
            have = read(row)
            return have is not None and any(want <= have for want in wanted)

        if op == "INCLUDES":
            return includes
        return lambda row: not includes(row)
    if op in ("IN", "NOT IN"):
        assert isinstance(right, ValueList)
        tests = [_equals(ctx, kind, value) for value in right.values]
        if op == "IN":
            return lambda row: any(test(read(row)) for test in tests)
        return lambda row: not any(test(read(row)) for test in tests)
    assert not isinstance(right, ValueList)
    if op == "LIKE":
        tokens = _like_tokens(ctx, right)
        if tokens is None:
            return lambda row: read(row) is None
        return lambda row: isinstance(value := read(row), str) and like_match(tokens, value)
    if op == "=":
        test = _equals(ctx, kind, right)
        return lambda row: test(read(row))
    if op == "!=":
        test = _equals(ctx, kind, right)
        return lambda row: not test(read(row))
    return _ordered(ctx, op, kind, read, right)


def _like_tokens(ctx: Context, right: Any) -> list[Any] | None:
    value = _literal(ctx, right)
    if value is None:
        return None
    text = value.text if isinstance(value, LikePattern) else _escape_like(str(value))
    return like_tokens(text)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _literal(ctx: Context, node: Any) -> Any:
    if isinstance(node, Currency):
        raise ctx.unsupported(node.pos, f"the currency literal {node.code}{node.amount}")
    if isinstance(node, Param):
        raise ctx.error("MALFORMED_QUERY", node.pos, f"unexpected token: ':{node.name}'")
    assert isinstance(node, Literal)
    return node.value


def _day_range(ctx: Context, kind: str, node: DateLiteral) -> tuple[Any, Any]:
    today = ctx.now.astimezone(ctx.tz).date()
    try:
        first, last = dates.date_range(
            node.name, node.n, today=today, fiscal_year_start_month=ctx.fiscal_start
        )
    except SoqlError as exc:  # n reaches past year 9999, or a bad fiscal setting
        raise ctx.error(MALFORMED_QUERY, node.pos, str(exc)) from None
    if kind == "datetime":
        return datetime.combine(first, time(), ctx.tz), datetime.combine(last, time(), ctx.tz)
    return first, last


def _equals(ctx: Context, kind: str, node: Any) -> Callable[[Any], bool]:
    """``value == node`` in SOQL's sense, as a test on a row's (comparable) value."""
    if isinstance(node, DateLiteral):
        start, end = _day_range(ctx, kind, node)
        return lambda value: value is not None and start <= value < end
    literal = _literal(ctx, node)
    if literal is None:
        return lambda value: value is None
    if kind == "multi":
        wanted = comparable("multi", str(literal))
        return lambda value: value == wanted
    target = _coerce(kind, literal)
    if kind == "text" or (kind == "id" and isinstance(target, str)):
        folded = str(target).casefold()
        if kind == "id":
            return lambda value: isinstance(value, str) and value == target
        return lambda value: isinstance(value, str) and value.casefold() == folded
    return lambda value: value is not None and value == target


def _coerce(kind: str, literal: Any) -> Any:
    """A SOQL literal as the kind of the field it is compared with."""
    if kind == "id" and isinstance(literal, str):
        return comparable("id", literal)
    if kind == "number" and isinstance(literal, int | Decimal) and not isinstance(literal, bool):
        return Decimal(literal)
    if kind == "datetime" and isinstance(literal, datetime):
        return literal
    if kind == "date" and isinstance(literal, date) and not isinstance(literal, datetime):
        return literal
    return literal


def _ordered(ctx: Context, op: str, kind: str, read: Callable[[Row], Any], right: Any) -> Predicate:
    if isinstance(right, DateLiteral):
        start, end = _day_range(ctx, kind, right)
        bound, strict = {
            "<": (start, True),
            ">=": (start, False),
            "<=": (end, True),
            ">": (end, False),
        }[op]
        if strict:
            return lambda row: (value := read(row)) is not None and value < bound
        return lambda row: (value := read(row)) is not None and value >= bound
    literal = _literal(ctx, right)
    if literal is None:
        return lambda row: False
    target = _coerce(kind, literal)
    if kind == "text" or isinstance(target, str):
        folded = str(target).casefold()
        test = _ORDER_TESTS[op]
        return lambda row: isinstance(value := read(row), str) and test(value.casefold(), folded)
    order_test = _ORDER_TESTS[op]

    def compare(row: Row) -> bool:
        value = read(row)
        if value is None:
            return False
        try:
            return bool(order_test(value, target))
        except TypeError:
            return False

    return compare


_ORDER_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _multi_set(ctx: Context, node: Any, kind: str) -> frozenset[str]:
    literal = _literal(ctx, node)
    return frozenset(part.lower() for part in str(literal or "").split(";") if part)
