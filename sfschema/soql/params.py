"""Named parameters in SOQL text: ``soql("… WHERE StageName = :stage", stage="Closed Won")``.

The text is parsed once (placeholders are ``:name`` value nodes), every value is bound into the
tree as a value node, and the compiler writes it through ``literal()`` — so a value can never
change the query's shape. With a schema the bound query is checked and errors raise.

In ``IN :ids`` the value must be a list (or a query for a semi-join). In ``LIKE :pattern`` a
``str`` is matched literally (``%`` and ``_`` escaped); pass a ``LikePattern`` for wildcards.

>>> soql("SELECT Id FROM Opportunity WHERE StageName = :stage AND Amount > :amount",
...      stage="Closed Won", amount=1000)
"SELECT Id FROM Opportunity WHERE StageName = 'Closed Won' AND Amount > 1000"
>>> soql("SELECT Id FROM Contact WHERE Id IN :ids", ids=["003000000000001AAA"])
"SELECT Id FROM Contact WHERE Id IN ('003000000000001AAA')"
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sfschema.errors import SoqlError
from sfschema.soql import dates
from sfschema.soql.ast import (
    SET_OPERATORS,
    And,
    Comparison,
    DateLiteral,
    Field,
    Literal,
    Not,
    Or,
    Param,
    Query,
    SubQuery,
    ValueList,
    simple_literals,
    walk,
)
from sfschema.soql.check import check_or_raise
from sfschema.soql.compiler import in_text_order, render
from sfschema.soql.literals import LikePattern, decode_string, fraction_error, number_value
from sfschema.soql.parser import parse
from sfschema.soql.resolve import resolve_path, value_kind

if TYPE_CHECKING:
    from sfschema.schema import OrgSchema


class ParamText(str):
    """A parameter value given as text (``--param k=v`` on the command line).

    It is converted to the type the compared field needs (with a schema) or by its shape:
    ``'quoted'`` text, ``null``, ``true``/``false``, date literals, dates, datetimes, numbers;
    anything else is a string. In ``IN`` it is split on the commas outside ``'quotes'``
    (``'a,b', c`` is two values).
    """

    __slots__ = ()


def soql(text: str, /, schema: OrgSchema | None = None, **params: Any) -> str:
    """SOQL text with ``:name`` placeholders bound to ``params``; checked when given a schema.

    The text is parsed once per distinct template (the last 256 are kept; trees are immutable),
    so calling ``soql()`` again with the same text costs only binding and rendering.
    """
    template = _template(text) if isinstance(text, str) else parse(text)  # parse() refuses
    query = bind(template, params, schema)
    if schema is not None:
        check_or_raise(query, schema)
    return render(query)


@lru_cache(maxsize=256)
def _template(text: str) -> Query:
    """A template's tree, parsed once per text: trees are immutable, so callers may share one."""
    return parse(text, params=True)


def placeholders(query: Query) -> list[str]:
    """The placeholder names in a query, in order of first use."""
    names: list[str] = []
    for node in walk(query):
        if isinstance(node, Param) and node.name not in names:
            names.append(node.name)
    return names


def bind(
    query: Query,
    params: Mapping[str, Any],
    schema: OrgSchema | None = None,
    *,
    partial: bool = False,
) -> Query:
    """A copy of ``query`` with every placeholder replaced; unknown or unused names are errors.

    ``partial=True`` leaves placeholders without a value in place (``check`` reports each of
    them as an error where it stands) instead of raising.
    """
    require_names(query, params, partial=partial)
    if not params:
        return query
    return _Binder(params, schema).query(query)


def require_names(query: Query, params: Mapping[str, Any], *, partial: bool = False) -> list[str]:
    """The query's placeholder names; SoqlError for a parameter the query does not use and,
    unless ``partial``, for a placeholder without a value."""
    wanted = placeholders(query)
    missing = [name for name in wanted if name not in params]
    if missing and not partial:
        raise SoqlError(
            "no value for "
            + ", ".join(f":{name}" for name in missing)
            + " (pass "
            + ", ".join(f"{name}=..." for name in missing)
            + ")"
        )
    unused = sorted(set(params) - set(wanted))
    if unused:
        raise SoqlError(
            "unused parameter(s) "
            + ", ".join(unused)
            + (f"; the query uses {', '.join(':' + n for n in wanted)}" if wanted else "")
        )
    return wanted


class _Binder:
    def __init__(self, params: Mapping[str, Any], schema: OrgSchema | None) -> None:
        self.params = params
        self.schema = schema

    def query(self, q: Query) -> Query:
        scope = None
        if self.schema is not None and len(q.from_.path) == 1:
            scope = self.schema.resolve_name(q.from_.path[0])
        select = tuple(
            SubQuery(self.query(item.query), item.pos) if isinstance(item, SubQuery) else item
            for item in q.select
        )
        return dataclasses.replace(
            q,
            select=select,
            where=None if q.where is None else self.condition(q.where, scope, q),
            having=None if q.having is None else self.condition(q.having, scope, q),
            pos=q.pos,
        )

    def condition(self, node: Any, scope: str | None, q: Query) -> Any:
        if isinstance(node, And):
            return And(tuple(self.condition(o, scope, q) for o in node.operands))
        if isinstance(node, Or):
            return Or(tuple(self.condition(o, scope, q) for o in node.operands))
        if isinstance(node, Not):
            return Not(self.condition(node.operand, scope, q))
        assert isinstance(node, Comparison)
        right = node.right
        kind = self.kind(node.left, scope, q)
        if isinstance(right, SubQuery):
            right = SubQuery(self.query(right.query), right.pos)
        elif isinstance(right, ValueList):
            right = ValueList(tuple(self.scalar(v, node.op, kind) for v in right.values), right.pos)
        elif isinstance(right, Param):
            right = self.value(right, node.op, kind)
        return Comparison(node.left, node.op, right, node.pos)

    def kind(self, left: Any, scope: str | None, q: Query) -> str | None:
        if self.schema is None or scope is None or not isinstance(left, Field):
            return None
        resolved = resolve_path(self.schema, scope, left.path, q.from_.alias)
        return None if resolved.field is None else value_kind(resolved.field.type)

    def scalar(self, node: Any, op: str, kind: str | None) -> Any:
        if not isinstance(node, Param) or node.name not in self.params:
            return node
        value = self.params[node.name]
        if isinstance(value, ParamText):
            return _from_text(value, kind, node.name)
        return _value_node(value, node.name, op)

    def value(self, node: Param, op: str, kind: str | None) -> Any:
        if node.name not in self.params:  # partial binding: left for check() to report
            return node
        value = self.params[node.name]
        if op in SET_OPERATORS:
            if isinstance(value, ParamText):
                items = [ParamText(part) for part in split_items(value, node.name)]
                return _list(node.name, [_from_text(i, kind, node.name) for i in items])
            if op in ("IN", "NOT IN"):
                from sfschema.soql.builder import Select

                if isinstance(value, Select):
                    return value.subquery()
                if isinstance(value, Query):
                    return SubQuery(value)
            if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
                raise SoqlError(
                    f":{node.name} follows {op}, so it must be a list, got {value!r:.60}"
                )
            items = list(value)
            if isinstance(value, set | frozenset):
                try:
                    items = in_text_order(value)
                except SoqlError as exc:
                    raise SoqlError(f":{node.name}: {exc}") from None
            nodes = simple_literals(items)  # plain strings or ints: checked in one pass
            if nodes is not None:
                return ValueList(nodes)
            return _list(node.name, [_value_node(v, node.name, "=") for v in items])
        if isinstance(value, ParamText):
            if op == "LIKE" and not _QUOTED.match(value):
                return Literal(LikePattern(value))  # on the command line a LIKE value is a pattern
            return _from_text(value, kind, node.name)
        return _value_node(value, node.name, op)


def split_items(text: str, name: str) -> list[str]:
    """A command-line list: items split on commas outside single quotes, each stripped.

    Inside quotes a backslash escapes the next character, as in SOQL strings.

    >>> split_items("'a,b', c", "ids")
    ["'a,b'", 'c']
    """
    items: list[str] = []
    start, quoted, index, end = 0, False, 0, len(text)
    while index < end:
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == "'":
                quoted = False
        elif char == "'":
            quoted = True
        elif char == ",":
            items.append(text[start:index].strip())
            start = index + 1
        index += 1
    if quoted:
        raise SoqlError(f":{name}={text[:60]!r}: a quote is not closed; write 'a,b' or \\' inside")
    items.append(text[start:].strip())
    return items


def _list(name: str, nodes: list[Any]) -> ValueList:
    try:
        return ValueList(tuple(nodes))
    except SoqlError as exc:
        raise SoqlError(f":{name}: {exc}") from None


def _value_node(value: Any, name: str, op: str) -> Any:
    if isinstance(value, Literal | DateLiteral):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        raise SoqlError(f":{name} is a list; use IN :{name} (or NOT IN) for lists")
    try:
        return Literal(value)
    except SoqlError as exc:
        raise SoqlError(f":{name}: {exc}") from None


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'\Z", re.S)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z")  # 1e-7 too
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})\Z", re.I)


def _from_text(text: str, kind: str | None, name: str) -> Any:
    """A command-line value as a value node.

    Compared with a text or ID field it is a string; otherwise its shape decides (null,
    true/false, a date literal, a date, a datetime, a number — ``1e-7`` too, written plainly
    as ``0.0000001`` —, else a string), and the checker reports a value that does not fit the
    field.
    """
    if _QUOTED.match(text):
        return Literal(decode_string(text[1:-1]))
    if text.lower() == "null":
        return Literal(None)
    if kind in ("text", "id"):
        return Literal(str(text))
    try:
        if text.lower() in ("true", "false"):
            return Literal(text.lower() == "true")
        if dates.FULL.match(text):
            literal_name, n = dates.split(text)
            return DateLiteral(literal_name, n)
        if _DATE.match(text):
            return Literal(date.fromisoformat(text))
        stamp = _DATETIME.match(text)
        if stamp:
            problem = stamp.group(1) and fraction_error(text, stamp.group(1))
            if problem:
                raise problem
            return Literal(datetime.fromisoformat(text.replace("Z", "+00:00")))
        if _NUMBER.match(text):
            return Literal(number_value(text))
    except (ValueError, InvalidOperation, SoqlError) as exc:
        raise SoqlError(f":{name}={text!r} is not a valid value: {exc}") from None
    return Literal(str(text))
