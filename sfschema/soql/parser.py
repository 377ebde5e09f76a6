"""SOQL text → tree, with lark's LALR(1) parser and contextual lexer (lark's public API only).

The tree is built while parsing (lark's inline transformer, ``Lark(transformer=...)``), so no
parse tree is kept. Errors are ``SoqlSyntaxError`` with a position and a message a person can
act on. lark's grammar analysis is cached on disk (``grammar.cache_file``), so a fresh process
loads the parse tables instead of building them again.

Datetimes: the documented SOQL formats are whole seconds. A fraction of zeros
(``2010-09-20T22:16:30.000Z``, seen in public SOQL suites; whether Salesforce accepts it is
UNCERTAIN; SOQL and SOSL Reference: Date Formats and Date Literals) is the same instant and is read
as such; ``render`` writes it without the fraction. Any other fraction is a syntax error, never
dropped: ``> 01:01:01.5`` is not ``> 01:01:01``, so ``render(parse(q))`` never changes what a query
means.

>>> query = parse("SELECT Id, Account.Name FROM Contact WHERE CreatedDate = LAST_N_DAYS:7")
>>> query.select[1].expr.path
('Account', 'Name')
>>> query.where.right
DateLiteral(name='LAST_N_DAYS', n=7)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache, wraps
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput

from sfschema.errors import SoqlError, SoqlSyntaxError
from sfschema.soql import dates
from sfschema.soql.ast import (
    And,
    Call,
    Comparison,
    Currency,
    DataCategoryFilter,
    DateLiteral,
    Field,
    FieldsSelector,
    From,
    GroupBy,
    Literal,
    Not,
    Or,
    OrderItem,
    Param,
    Query,
    SelectExpr,
    SubQuery,
    TypeOf,
    TypeOfWhen,
    ValueList,
    children,
    walk,
)
from sfschema.soql.grammar import GRAMMAR, cache_file
from sfschema.soql.literals import LikePattern, decode_string, fraction_error, number_value
from sfschema.soql.syntax_errors import syntax_error


class _Located(Exception):
    def __init__(self, message: str, pos: int | None) -> None:
        super().__init__(message)
        self.message, self.pos = message, pos


class _RawString:
    """A string token not yet decoded: LIKE patterns decode differently from other strings."""

    __slots__ = ("token",)

    def __init__(self, token: Token) -> None:
        self.token = token

    def literal(self, *, like: bool = False) -> Literal:
        body = self.token.rstrip()[1:-1]
        try:
            text = decode_string(body, like=like)
            return Literal(LikePattern(text) if like else text, pos=self.token.start_pos)
        except SoqlError as exc:
            raise _Located(str(exc), self.token.start_pos) from None


def _first_pos(items: Any) -> int | None:
    for item in items:
        if isinstance(item, Token):
            return item.start_pos
        if isinstance(item, _RawString):
            return item.token.start_pos
        pos = getattr(item, "pos", None)
        if pos is not None:
            return int(pos)
        if isinstance(item, SelectExpr):
            return item.expr.pos
    return None


def _located(method: Callable[[Any, list[Any]], Any]) -> Callable[[Any, list[Any]], Any]:
    """A transformer method whose SoqlError is reported at the position of what it built."""

    @wraps(method)
    def build(self: Any, children: list[Any]) -> Any:
        try:
            return method(self, children)
        except SoqlError as exc:
            raise _Located(str(exc), _first_pos(children)) from None

    return build


def _locating(cls: type) -> type:
    for name, method in list(vars(cls).items()):
        if not name.startswith("_") and callable(method):
            setattr(cls, name, _located(method))
    return cls


def _whole(token: Token) -> int:
    value = number_value(token.rstrip())
    assert isinstance(value, int)  # the INT terminal has no point
    return value


def _value(item: Any) -> Any:
    return item.literal() if isinstance(item, _RawString) else item


_CLAUSE_ORDER = {
    "using": (0, "USING SCOPE"),
    "where": (1, "WHERE"),
    "category": (2, "WITH DATA CATEGORY"),
    "security": (2, "WITH"),
    "group": (3, "GROUP BY"),
    "having": (4, "HAVING"),
    "order": (5, "ORDER BY"),
    "limit": (6, "LIMIT"),
    "offset": (7, "OFFSET"),
    "for": (8, "FOR"),
    "update": (9, "UPDATE"),
}
_QUERY_FIELD = {
    "using": "scope",
    "where": "where",
    "category": "data_category",
    "security": "security",
    "group": "group_by",
    "having": "having",
    "order": "order_by",
    "limit": "limit",
    "offset": "offset",
    "for": "for_",
    "update": "update",
}
_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):?(\d{2}))?\Z", re.I
)


@_locating
class _ToAst(Transformer[Token, Any]):
    # -- query ---------------------------------------------------------------------------------

    def query(self, children: list[Any]) -> Query:
        (items, pos), source, *clauses = children
        values: dict[str, Any] = {}
        rank, having_pos = -1, None
        for kind, value, clause_pos in clauses:
            order, label = _CLAUSE_ORDER[kind]
            if kind in values:
                raise _Located(f"{label} appears twice", clause_pos)
            if order < rank:
                raise _Located(
                    f"{label} is out of place (clause order: SELECT … FROM …"
                    " USING SCOPE, WHERE, WITH, GROUP BY, HAVING, ORDER BY, LIMIT,"
                    " OFFSET, FOR, UPDATE)",
                    clause_pos,
                )
            rank = order
            values[_QUERY_FIELD[kind]] = value
            if kind == "having":
                having_pos = clause_pos
        if "having" in values:
            if "group_by" not in values:
                raise _Located("HAVING needs GROUP BY", having_pos)
            for node in walk(values["having"]):
                if isinstance(node, Call) and node.name == "FORMULA":
                    raise _Located("FORMULA() is not allowed in HAVING", node.pos)
        return Query(select=items, from_=source, pos=pos, **values)

    def select_clause(self, children: list[Any]) -> tuple[tuple[Any, ...], int]:
        keyword, *items = children
        return tuple(items), keyword.start_pos

    def select_expr(self, children: list[Any]) -> Any:
        expr, alias = children
        if isinstance(expr, FieldsSelector):
            if alias is not None:
                raise SoqlError("FIELDS() cannot have an alias")
            return expr
        return SelectExpr(expr, alias)

    def select_subquery(self, children: list[Any]) -> SubQuery:
        return SubQuery(children[0], pos=children[0].pos)

    def alias(self, children: list[Any]) -> str:
        return str.rstrip(children[0])

    def path(self, children: list[Any]) -> Field:
        return Field(tuple(map(str.rstrip, children)), pos=children[0].start_pos)

    def call(self, children: list[Any]) -> Call | FieldsSelector:
        token, *raw = children
        name = token.rstrip()
        args = tuple(_value(arg) for arg in raw if arg is not None)
        if name.upper() == "FIELDS":
            if len(args) != 1 or not isinstance(args[0], Field) or len(args[0].path) != 1:
                raise SoqlError("FIELDS() takes ALL, STANDARD or CUSTOM")
            return FieldsSelector(args[0].path[0], pos=token.start_pos)
        return Call(name, args, pos=token.start_pos)

    def string(self, children: list[Any]) -> _RawString:
        return _RawString(children[0])

    def number(self, children: list[Any]) -> Literal:
        token = children[0]
        return Literal(number_value(token.rstrip()), pos=token.start_pos)

    def typeof(self, children: list[Any]) -> TypeOf:
        keyword, field, *whens, else_fields = children
        return TypeOf(field.rstrip(), tuple(whens), else_fields or (), pos=keyword.start_pos)

    def typeof_when(self, children: list[Any]) -> TypeOfWhen:
        return TypeOfWhen(children[0].rstrip(), children[1])

    def path_list(self, children: list[Any]) -> tuple[Field, ...]:
        return tuple(children)

    def from_source(self, children: list[Any]) -> From:
        *names, alias = children
        return From(tuple(map(str.rstrip, names)), alias, pos=names[0].start_pos)

    # -- clauses -------------------------------------------------------------------------------

    def using(self, children: list[Any]) -> tuple[str, str, int]:
        return "using", children[0].rstrip(), children[0].start_pos

    def where(self, children: list[Any]) -> tuple[str, Any, int | None]:
        return "where", children[0], _first_pos(children)

    def having(self, children: list[Any]) -> tuple[str, Any, int | None]:
        return "having", children[0], _first_pos(children)

    def with_security(self, children: list[Any]) -> tuple[str, str, int]:
        return "security", children[0].rstrip().upper(), children[0].start_pos

    def with_category(self, children: list[Any]) -> tuple[str, Any, int | None]:
        return "category", tuple(children), None

    def category_filter(self, children: list[Any]) -> DataCategoryFilter:
        group, selector, *names = children
        return DataCategoryFilter(
            group.rstrip(), selector.rstrip(), tuple(n.rstrip() for n in names)
        )

    def group(self, children: list[Any]) -> tuple[str, GroupBy, int | None]:
        kind = None
        if isinstance(children[0], Token) and children[0].type == "GROUP_KIND":
            kind, children = children[0].rstrip(), children[1:]
        return "group", GroupBy(tuple(children), kind), _first_pos(children)

    def order(self, children: list[Any]) -> tuple[str, tuple[OrderItem, ...], int | None]:
        return "order", tuple(children), None

    def order_item(self, children: list[Any]) -> OrderItem:
        expr, direction, nulls = children
        return OrderItem(
            expr,
            None if direction is None else direction.rstrip(),
            None if nulls is None else nulls.rstrip(),
        )

    def limit(self, children: list[Any]) -> tuple[str, int, int]:
        return "limit", _whole(children[0]), children[0].start_pos

    def offset(self, children: list[Any]) -> tuple[str, int, int]:
        return "offset", _whole(children[0]), children[0].start_pos

    def for_clause(self, children: list[Any]) -> tuple[str, str, int]:
        return "for", children[0].rstrip().upper(), children[0].start_pos

    def update_clause(self, children: list[Any]) -> tuple[str, str, int]:
        return "update", children[0].rstrip().upper(), children[0].start_pos

    # -- conditions ----------------------------------------------------------------------------

    def and_chain(self, children: list[Any]) -> And:
        return And(tuple(children))

    def or_chain(self, children: list[Any]) -> Or:
        return Or(tuple(children))

    def negation(self, children: list[Any]) -> Not:
        return Not(children[0])

    def compare(self, children: list[Any]) -> Comparison:
        left, op, right = children
        like = op.type == "LIKE"
        if isinstance(right, _RawString):
            right = right.literal(like=like)
        return Comparison(left, op.rstrip(), right, pos=left.pos)

    def compare_list(self, children: list[Any]) -> Comparison:
        left, op, *values = children
        items = ValueList(tuple(_value(v) for v in values), pos=_first_pos(values))
        return Comparison(left, op, items, pos=left.pos)

    def compare_subquery(self, children: list[Any]) -> Comparison:
        left, op, query = children
        return Comparison(left, op, SubQuery(query, pos=query.pos), pos=left.pos)

    def compare_param(self, children: list[Any]) -> Comparison:
        left, op, token = children
        return Comparison(left, op, Param(token.rstrip()[1:], pos=token.start_pos), pos=left.pos)

    def set_op(self, children: list[Any]) -> str:
        return str.rstrip(children[0]).upper()

    def not_set_op(self, children: list[Any]) -> str:
        word = children[0].rstrip().upper()
        if word != "IN":
            raise SoqlError(f"NOT {word} is not SOQL; use NOT IN, or EXCLUDES for INCLUDES")
        return "NOT IN"

    # -- values --------------------------------------------------------------------------------

    def datetime_value(self, children: list[Any]) -> Literal:
        token = children[0]
        text = token.rstrip()
        match = _DATETIME.match(text)
        assert match is not None  # the terminal has the same shape
        if match.group(8) is None:
            raise SoqlError(
                f"datetime {text} has no time zone; write it with Z or an offset "
                f"(e.g. {text.split('.')[0]}Z)"
            )
        if match.group(7):
            problem = fraction_error(text, match.group(7))
            if problem is not None:
                raise problem
        tz: timezone = UTC
        if match.group(9):
            offset = timedelta(hours=int(match.group(10)), minutes=int(match.group(11)))
            tz = timezone(-offset if match.group(9) == "-" else offset)
        try:
            year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
            value = datetime(year, month, day, hour, minute, second, tzinfo=tz)
        except ValueError as exc:
            raise SoqlError(f"invalid datetime {text}: {exc}") from None
        return Literal(value, pos=token.start_pos)

    def date_value(self, children: list[Any]) -> Literal:
        token = children[0]
        text = token.rstrip()
        try:
            return Literal(date.fromisoformat(text), pos=token.start_pos)
        except ValueError as exc:
            raise SoqlError(f"invalid date {text}: {exc}") from None

    def date_literal(self, children: list[Any]) -> DateLiteral:
        name, n = dates.split(children[0].rstrip())
        return DateLiteral(name, n, pos=children[0].start_pos)

    def currency(self, children: list[Any]) -> Currency:
        text = children[0].rstrip()
        amount = text[3:]
        return Currency(text[:3], number_value(amount), pos=children[0].start_pos)

    def null(self, children: list[Any]) -> Literal:
        return Literal(None)

    def true(self, children: list[Any]) -> Literal:
        return Literal(True)

    def false(self, children: list[Any]) -> Literal:
        return Literal(False)

    def param(self, children: list[Any]) -> Param:
        return Param(children[0].rstrip()[1:], pos=children[0].start_pos)


@cache
def parser() -> Lark:
    """The one SOQL parser: lark's LALR(1) tables with the tree-building transformer inline."""
    path = cache_file()
    return Lark(
        GRAMMAR,
        start="query",
        parser="lalr",
        lexer="contextual",
        transformer=_ToAst(),
        maybe_placeholders=True,
        cache=False if path is None else str(path),
    )


def parse(text: str, *, params: bool = False) -> Query:
    """Parse SOQL text into a ``Query``; ``SoqlSyntaxError`` (MALFORMED_QUERY) when it is not SOQL.

    ``params=True`` admits named placeholders (``:name``) for ``soql()`` templates; plain SOQL
    sent to Salesforce's REST API has none (``:x`` is Apex-only).
    """
    if not isinstance(text, str):
        raise SoqlError(f"SOQL must be a string, got {type(text).__name__}")
    try:
        query: Query = parser().parse(text)  # type: ignore[assignment]  # inline transformer
    except _Located as exc:
        raise SoqlSyntaxError(exc.message, text, exc.pos) from None
    except UnexpectedInput as exc:
        raise syntax_error(exc, text) from None
    if len(query.from_.path) > 1:
        raise SoqlSyntaxError(
            f"FROM {query.from_.name}: a top-level query selects from one object",
            text,
            query.from_.pos,
        )
    if text.count("(") > MAX_NESTING:
        _check_nesting(query, text)
    if not params and ":" in text:
        for node in walk(query):
            if isinstance(node, Param):
                raise SoqlSyntaxError(
                    f"bind variable :{node.name} is Apex-only; pass the value instead, e.g. "
                    f"soql(text, {node.name}=...)",
                    text,
                    node.pos,
                )
    return query


MAX_NESTING = 100


def _check_nesting(query: Query, text: str) -> None:
    """Refuse conditions or subqueries nested more than MAX_NESTING deep (iteratively)."""
    stack: list[tuple[Any, int]] = [(query, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise SoqlSyntaxError(
                f"conditions or subqueries nest more than {MAX_NESTING} levels deep",
                text,
                getattr(node, "pos", None),
            )
        nested = isinstance(node, Not | And | Or | SubQuery)
        stack.extend((child, depth + nested) for child in children(node))
