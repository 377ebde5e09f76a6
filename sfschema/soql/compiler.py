"""The one compiler: SOQL tree → text.

Identifiers are written as the tree holds them (the tree only admits safe names); every value
goes through ``literals.literal``. Parentheses are decided here, from the tree's shape: an ``Or``
inside an ``And`` (and vice versa) and any compound operand of ``NOT`` get them.

``render(query)`` gives one line; ``render(query, pretty=True)`` one clause a line, for people.

>>> from sfschema.soql.ast import Comparison, Field, From, Literal, Query, SelectExpr
>>> query = Query(
...     select=(SelectExpr(Field(("Id",))),),
...     from_=From(("Account",)),
...     where=Comparison(Field(("Name",)), "=", Literal("O'Brien")),
... )
>>> render(query)
"SELECT Id FROM Account WHERE Name = 'O\\\\'Brien'"
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from sfschema.errors import SoqlError
from sfschema.soql.ast import (
    And,
    Call,
    Comparison,
    Currency,
    DataCategoryFilter,
    DateLiteral,
    Field,
    FieldsSelector,
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
    ValueList,
)
from sfschema.soql.literals import literal, literal_list

_VALUE = attrgetter("value")

PRETTY_WIDTH = 80
INDENT = "    "


def render(node: Any, *, pretty: bool = False) -> str:
    """SOQL text for a query, condition, expression or value node."""
    try:
        return _Compiler(pretty).node(node, "")
    except RecursionError:
        raise SoqlError("the query nests too deeply to render") from None


def in_text_order(values: Iterable[Any]) -> list[Any]:
    """The items of a set sorted by their SOQL text (values or value nodes alike).

    A set has no order of its own, so the text written for ``IN {…}`` must not take one from
    iteration (which can vary with hash seeds): it follows the rendered literals.

    >>> in_text_order({"b", 10, 9, None})
    ['b', 10, 9, None]
    """
    return sorted(values, key=_value_text)


def _value_text(item: Any) -> str:
    if isinstance(item, Literal | DateLiteral | Currency | Param):
        return render(item)
    return literal(item)


class _Compiler:
    def __init__(self, pretty: bool) -> None:
        self.pretty = pretty

    def node(self, node: Any, indent: str) -> str:
        if isinstance(node, Query):
            return self.query(node, indent)
        if isinstance(node, Comparison | Not | And | Or):
            return self.condition(node, indent)
        if isinstance(node, Field | Call):
            return self.expr(node)
        if isinstance(node, SelectExpr | TypeOf | FieldsSelector | SubQuery):
            return self.select_item(node, indent)
        return self.value(node, like=False, indent=indent)

    # -- expressions ---------------------------------------------------------------------------

    def expr(self, node: Field | Call | Literal) -> str:
        if isinstance(node, Field):
            return ".".join(node.path)
        if isinstance(node, Call):
            return node.name + "(" + ", ".join(self.expr(arg) for arg in node.args) + ")"
        if isinstance(node, Literal):
            return literal(node.value)
        raise SoqlError(f"not an expression: {node!r:.80}")

    def value(self, node: Any, *, like: bool, indent: str) -> str:
        if isinstance(node, Literal):
            return literal(node.value, like=like and isinstance(node.value, str))
        if isinstance(node, DateLiteral):
            return node.name if node.n is None else f"{node.name}:{node.n}"
        if isinstance(node, Currency):
            return node.code + literal(node.amount)
        if isinstance(node, Param):
            return ":" + node.name
        if isinstance(node, ValueList):
            values = node.values
            if set(map(type, values)) == {Literal}:  # all constants: literal_list writes them
                return literal_list(list(map(_VALUE, values)))
            items = [
                literal(v.value) if v.__class__ is Literal else self.value(v, like=False, indent="")
                for v in values
            ]
            return "(" + ", ".join(items) + ")"
        if isinstance(node, SubQuery):
            return self.subquery(node, indent)
        raise SoqlError(f"not a value: {node!r:.80}")

    # -- conditions ----------------------------------------------------------------------------

    def condition(self, node: Any, indent: str, top: bool = False) -> str:
        if isinstance(node, Comparison):
            right = self.value(node.right, like=node.op == "LIKE", indent=indent)
            return f"{self.expr(node.left)} {node.op} {right}"
        if isinstance(node, Not):
            inner = self.condition(node.operand, indent)
            if isinstance(node.operand, And | Or | Not):
                inner = "(" + inner + ")"
            return "NOT " + inner
        if isinstance(node, And | Or):
            word = "AND" if isinstance(node, And) else "OR"
            other = Or if isinstance(node, And) else And
            parts = []
            for operand in node.operands:
                text = self.condition(operand, indent + INDENT)
                parts.append("(" + text + ")" if isinstance(operand, other) else text)
            if self.pretty and top and len(" ".join(parts)) > PRETTY_WIDTH:
                return f"\n{indent}{INDENT}{word} ".join(parts)
            return f" {word} ".join(parts)
        raise SoqlError(f"not a condition: {node!r:.80}")

    # -- select ----------------------------------------------------------------------------------

    def select_item(self, node: Any, indent: str) -> str:
        if isinstance(node, SelectExpr):
            text = self.expr(node.expr)
            return text if node.alias is None else f"{text} {node.alias}"
        if isinstance(node, FieldsSelector):
            return f"FIELDS({node.kind})"
        if isinstance(node, SubQuery):
            return self.subquery(node, indent)
        if isinstance(node, TypeOf):
            parts = [f"TYPEOF {node.field}"]
            for when in node.whens:
                parts.append(f"WHEN {when.object} THEN " + self.fields(when.fields))
            if node.else_:
                parts.append("ELSE " + self.fields(node.else_))
            parts.append("END")
            return " ".join(parts)
        raise SoqlError(f"cannot select {node!r:.80}")

    def fields(self, fields: tuple[Field, ...]) -> str:
        return ", ".join(self.expr(f) for f in fields)

    def subquery(self, node: SubQuery, indent: str) -> str:
        flat = _Compiler(pretty=False).query(node.query, "")
        if not self.pretty or len(flat) <= PRETTY_WIDTH - len(indent) - 20:
            return "(" + flat + ")"
        return "(" + self.query(node.query, indent + " ") + ")"

    # -- query -----------------------------------------------------------------------------------

    def query(self, q: Query, indent: str) -> str:
        items = [self.select_item(item, indent + INDENT) for item in q.select]
        select = "SELECT " + ", ".join(items)
        if self.pretty and (len(indent) + len(select) > PRETTY_WIDTH or "\n" in select):
            select = f"SELECT\n{indent}{INDENT}" + f",\n{indent}{INDENT}".join(items)
        clauses = [select]
        source = q.from_.name if q.from_.alias is None else f"{q.from_.name} {q.from_.alias}"
        clauses.append("FROM " + source)
        if q.scope is not None:
            clauses.append("USING SCOPE " + q.scope)
        if q.where is not None:
            clauses.append("WHERE " + self.condition(q.where, indent, top=True))
        if q.data_category:
            clauses.append(
                "WITH DATA CATEGORY " + " AND ".join(self.category(f) for f in q.data_category)
            )
        if q.security is not None:
            clauses.append("WITH " + q.security)
        if q.group_by is not None:
            clauses.append("GROUP BY " + self.group_by(q.group_by))
        if q.having is not None:
            clauses.append("HAVING " + self.condition(q.having, indent, top=True))
        if q.order_by:
            clauses.append("ORDER BY " + ", ".join(self.order_item(o) for o in q.order_by))
        if q.limit is not None:
            clauses.append(f"LIMIT {q.limit}")
        if q.offset is not None:
            clauses.append(f"OFFSET {q.offset}")
        if q.for_ is not None:
            clauses.append("FOR " + q.for_)
        if q.update is not None:
            clauses.append("UPDATE " + q.update)
        if self.pretty:
            return ("\n" + indent).join(clauses)
        return " ".join(clauses)

    def category(self, node: DataCategoryFilter) -> str:
        names = node.categories
        target = names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"
        return f"{node.group} {node.selector} {target}"

    def group_by(self, node: GroupBy) -> str:
        items = ", ".join(self.expr(item) for item in node.items)
        return items if node.kind is None else f"{node.kind}({items})"

    def order_item(self, node: OrderItem) -> str:
        text = self.expr(node.expr)
        if node.direction is not None:
            text += " " + node.direction
        if node.nulls is not None:
            text += " NULLS " + node.nulls
        return text
