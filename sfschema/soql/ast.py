"""The SOQL tree: frozen dataclasses holding tuples. Nodes hold data and never render themselves.

One tree serves the builder, the parser, the checker, the compiler and the emulator. Invariants
are enforced when a node is made, so no tree can hold text that would render into something else:

* identifiers (objects, fields, relationships, aliases, scopes, data categories) match
  ``[A-Za-z][A-Za-z0-9_]*`` and are not SOQL reserved words;
* values pass ``literals.check_value`` (floats become Decimal, datetimes UTC whole seconds);
* function names come from ``functions.FUNCTIONS`` with their arity.

``pos`` (a 0-based offset into the parsed text, None for built trees) is excluded from equality,
so ``parse(render(tree)) == tree`` compares meaning, not layout.

Shape of a query (every clause optional except SELECT and FROM)::

    Query(select=(SelectExpr | TypeOf | SubQuery | FieldsSelector, ...), from_=From,
          scope, where=Condition, data_category=(DataCategoryFilter, ...), security,
          group_by=GroupBy, having=Condition, order_by=(OrderItem, ...), limit, offset,
          for_, update)
    Condition = Comparison | Not | And | Or
    Comparison(left=Field | Call, op, right=Literal | DateLiteral | Currency | Param
                                            | ValueList | SubQuery)

Reading a tree (for an evaluator such as the emulator):

* names keep the spelling of the text (``account.name``); Salesforce resolves them
  case-insensitively, and a leading ``alias.`` or ``Object.`` qualifier may prefix a path;
* ``op`` is upper case, ``<>`` is stored as ``!=``, ``NOT IN`` is one operator;
  And/Or hold two or more operands (nested ones are flattened); NOT binds tighter than AND;
* a LIKE operand is ``Literal(LikePattern)`` when parsed: ``%`` any run, ``_`` one character,
  ``\\%`` ``\\_`` ``\\\\`` literal; a plain ``str`` operand means the exact text;
* ``Literal`` values are str, int, Decimal, bool, None, date, or a UTC datetime without
  microseconds; ``DateLiteral(name, n)`` ranges come from ``dates.date_range``;
* function names are canonical (``COUNT``, ``toLabel``, ``CALENDAR_YEAR``…); ``COUNT()`` has
  no arguments; ``FIELDS(...)`` is a ``FieldsSelector``, never a ``Call``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias

from sfschema.errors import SoqlError
from sfschema.soql.literals import LikePattern
from sfschema.soql.terms import (
    ALIAS_RESERVED,
    ALL_OPERATORS,
    CATEGORY_SELECTORS,
    FIELDS_KINDS,
    FOR_OPTIONS,
    OPERATORS,
    RESERVED,
    SECURITY_MODES,
    SET_OPERATORS,
    UPDATE_OPTIONS,
    VALUE_TYPES,
    Call,
    Currency,
    DateLiteral,
    Expr,
    Field,
    Literal,
    Param,
    Value,
    ValueList,
    check_expression,
    choice,
    identifier,
    node_pos,
    set_field,
    simple_literals,
)

__all__ = [
    "ALIAS_RESERVED",
    "ALL_OPERATORS",
    "OPERATORS",
    "RESERVED",
    "SET_OPERATORS",
    "And",
    "Call",
    "Comparison",
    "Condition",
    "Currency",
    "DataCategoryFilter",
    "DateLiteral",
    "Expr",
    "Field",
    "FieldsSelector",
    "From",
    "GroupBy",
    "Literal",
    "Not",
    "Or",
    "OrderItem",
    "Param",
    "Query",
    "SelectExpr",
    "SelectItem",
    "SubQuery",
    "TypeOf",
    "TypeOfWhen",
    "Value",
    "ValueList",
    "children",
    "identifier",
    "simple_literals",
    "walk",
]


# -- conditions --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comparison:
    """``left op right``; op is one of ``ALL_OPERATORS`` (``<>`` is stored as ``!=``)."""

    left: Expr
    op: str
    right: Value | ValueList | SubQuery
    pos: int | None = node_pos()

    def __post_init__(self) -> None:
        op = self.op
        if op not in ALL_OPERATORS:
            op = " ".join(op.upper().split()) if isinstance(op, str) else op
            op = "!=" if op == "<>" else op
            if op not in ALL_OPERATORS:
                raise SoqlError(f"unknown operator {self.op!r}")
            set_field(self, "op", op)
        check_expression(self.left, "a condition starts with")
        right = self.right
        if op in SET_OPERATORS:
            allowed: tuple[type, ...] = (ValueList, Param)
            if op in ("IN", "NOT IN"):
                allowed += (SubQuery,)
            if not isinstance(right, allowed):
                raise SoqlError(f"{op} takes a parenthesised list of values")
            if isinstance(right, ValueList):
                for value in right.values:
                    _not_a_pattern(value, op)
        elif not isinstance(right, VALUE_TYPES):
            raise SoqlError(f"{op} takes a single value, not {type(right).__name__}")
        elif op == "LIKE" and not (
            isinstance(right, Param)
            or (isinstance(right, Literal) and isinstance(right.value, str | LikePattern | None))
        ):
            raise SoqlError("LIKE takes a string or a LikePattern")
        elif op != "LIKE":
            _not_a_pattern(right, op)


def _not_a_pattern(value: Any, op: str) -> None:
    """A LikePattern's text is LIKE syntax (``\\%`` is an invalid escape anywhere else)."""
    if isinstance(value, Literal) and isinstance(value.value, LikePattern):
        raise SoqlError(
            f"LikePattern({value.value.text!r}) is a LIKE pattern, but the operator is {op}; "
            "compare with the plain text (a str), or use LIKE"
        )


@dataclass(frozen=True, slots=True)
class Not:
    operand: Condition


@dataclass(frozen=True, slots=True)
class And:
    """Conjunction of two or more conditions (nested And are flattened)."""

    operands: tuple[Condition, ...]

    def __post_init__(self) -> None:
        set_field(self, "operands", _flatten(And, self.operands))


@dataclass(frozen=True, slots=True)
class Or:
    """Disjunction of two or more conditions (nested Or are flattened)."""

    operands: tuple[Condition, ...]

    def __post_init__(self) -> None:
        set_field(self, "operands", _flatten(Or, self.operands))


def _flatten(kind: type, operands: Any) -> tuple[Condition, ...]:
    flat: list[Condition] = []
    for operand in operands:
        if isinstance(operand, kind):
            flat.extend(operand.operands)  # type: ignore[attr-defined]
        elif isinstance(operand, Comparison | Not | And | Or):
            flat.append(operand)
        else:
            raise SoqlError(f"not a condition: {operand!r:.80}")
    if len(flat) < 2:
        raise SoqlError(f"{kind.__name__} needs at least two conditions")
    return tuple(flat)


Condition: TypeAlias = "Comparison | Not | And | Or"


# -- select items --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SelectExpr:
    """A selected field or function, optionally aliased (``SUM(Amount) total``)."""

    expr: Expr
    alias: str | None = None

    def __post_init__(self) -> None:
        check_expression(self.expr, "SELECT takes")
        if self.alias is not None:
            set_field(self, "alias", identifier(self.alias, "alias", alias=True))


@dataclass(frozen=True, slots=True)
class FieldsSelector:
    """``FIELDS(ALL)``, ``FIELDS(STANDARD)`` or ``FIELDS(CUSTOM)``."""

    kind: str
    pos: int | None = node_pos()

    def __post_init__(self) -> None:
        set_field(self, "kind", choice(self.kind, FIELDS_KINDS, "FIELDS()"))


@dataclass(frozen=True, slots=True)
class TypeOfWhen:
    object: str
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        set_field(self, "object", identifier(self.object, "object name"))
        set_field(self, "fields", tuple(self.fields))
        if not self.fields:
            raise SoqlError(f"WHEN {self.object} THEN needs at least one field")


@dataclass(frozen=True, slots=True)
class TypeOf:
    """``TYPEOF What WHEN Account THEN Phone … ELSE Name END`` on a polymorphic relationship."""

    field: str
    whens: tuple[TypeOfWhen, ...]
    else_: tuple[Field, ...] = ()
    pos: int | None = node_pos()

    def __post_init__(self) -> None:
        set_field(self, "field", identifier(self.field, "relationship name"))
        set_field(self, "whens", tuple(self.whens))
        set_field(self, "else_", tuple(self.else_))
        if not self.whens:
            raise SoqlError(f"TYPEOF {self.field} needs at least one WHEN")


@dataclass(frozen=True, slots=True)
class SubQuery:
    """A parenthesised query: a child relationship in SELECT or a semi-join after IN."""

    query: Query
    pos: int | None = node_pos()


SelectItem: TypeAlias = "SelectExpr | TypeOf | SubQuery | FieldsSelector"


# -- clauses -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class From:
    """The object (or, in a child subquery, ``Parent.Relationship``) and an optional alias."""

    path: tuple[str, ...]
    alias: str | None = None
    pos: int | None = node_pos()

    def __post_init__(self) -> None:
        if isinstance(self.path, str):
            set_field(self, "path", (self.path,))
        elif self.path.__class__ is not tuple:
            set_field(self, "path", tuple(self.path))
        if not self.path:
            raise SoqlError("FROM needs an object name")
        set_field(self, "path", tuple(identifier(part, "object name") for part in self.path))
        if self.alias is not None:
            set_field(self, "alias", identifier(self.alias, "alias", alias=True))

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True, slots=True)
class DataCategoryFilter:
    """``WITH DATA CATEGORY Geography__c AT (usa__c, uk__c)``."""

    group: str
    selector: str
    categories: tuple[str, ...]

    def __post_init__(self) -> None:
        set_field(self, "group", identifier(self.group, "data category group"))
        set_field(self, "selector", choice(self.selector, CATEGORY_SELECTORS, "category selector"))
        set_field(
            self, "categories", tuple(identifier(c, "data category") for c in self.categories)
        )
        if not self.categories:
            raise SoqlError("a data category filter needs at least one category")


@dataclass(frozen=True, slots=True)
class GroupBy:
    items: tuple[Expr, ...]
    kind: str | None = None  # None, "ROLLUP" or "CUBE"

    def __post_init__(self) -> None:
        set_field(self, "items", tuple(self.items))
        if not self.items:
            raise SoqlError("GROUP BY needs at least one field")
        for item in self.items:
            check_expression(item, "GROUP BY takes")
        if self.kind is not None:
            set_field(self, "kind", choice(self.kind, ("ROLLUP", "CUBE"), "GROUP BY kind"))


@dataclass(frozen=True, slots=True)
class OrderItem:
    expr: Expr
    direction: str | None = None  # None (ascending), "ASC" or "DESC"
    nulls: str | None = None  # None, "FIRST" or "LAST"

    def __post_init__(self) -> None:
        check_expression(self.expr, "ORDER BY takes")
        if self.direction is not None:
            set_field(self, "direction", choice(self.direction, ("ASC", "DESC"), "sort direction"))
        if self.nulls is not None:
            set_field(self, "nulls", choice(self.nulls, ("FIRST", "LAST"), "NULLS"))


def whole_count(value: Any, what: str) -> int | None:
    """``value`` as a plain int ≥ 0 (an int subclass is read as its number), or None."""
    if value is None:
        return None
    kind = type(value)
    if kind is bool or not issubclass(kind, int):
        raise SoqlError(f"{what} must be a whole number ≥ 0, got a {kind.__name__}")
    number = int.__int__(value)
    if number < 0:
        raise SoqlError(f"{what} must be a whole number ≥ 0, got {number}")
    return number


@dataclass(frozen=True, slots=True)
class Query:
    select: tuple[SelectItem, ...]
    from_: From
    scope: str | None = None
    where: Condition | None = None
    data_category: tuple[DataCategoryFilter, ...] = ()
    security: str | None = None
    group_by: GroupBy | None = None
    having: Condition | None = None
    order_by: tuple[OrderItem, ...] = ()
    limit: int | None = None
    offset: int | None = None
    for_: str | None = None
    update: str | None = None
    pos: int | None = node_pos()

    def __post_init__(self) -> None:
        for name in ("select", "data_category", "order_by"):
            if getattr(self, name).__class__ is not tuple:
                set_field(self, name, tuple(getattr(self, name)))
        if not self.select:
            raise SoqlError("SELECT needs at least one field")
        for item in self.select:
            if not isinstance(item, SelectExpr | TypeOf | SubQuery | FieldsSelector):
                raise SoqlError(f"cannot select {item!r:.80}")
        if not isinstance(self.from_, From):
            raise SoqlError("FROM needs an object")
        if self.scope is not None:
            set_field(self, "scope", identifier(self.scope, "USING SCOPE"))
        if self.security is not None:
            set_field(self, "security", choice(self.security, SECURITY_MODES, "WITH"))
        if self.having is not None:
            if self.group_by is None:
                raise SoqlError("HAVING needs GROUP BY")
            if any(isinstance(n, Call) and n.name == "FORMULA" for n in walk(self.having)):
                raise SoqlError("FORMULA() is not allowed in HAVING")
        for name in ("limit", "offset"):
            value = getattr(self, name)
            if value is not None and (type(value) is not int or value < 0):
                set_field(self, name, whole_count(value, name.upper()))
        if self.for_ is not None:
            set_field(self, "for_", choice(self.for_, FOR_OPTIONS, "FOR"))
        if self.update is not None:
            set_field(self, "update", choice(self.update, UPDATE_OPTIONS, "UPDATE"))


# -- traversal -------------------------------------------------------------------------------


def children(node: Any) -> Iterator[Any]:
    """The direct child nodes of a node, in source order (subqueries included)."""
    if isinstance(node, Query):
        yield from node.select
        yield node.from_
        if node.where is not None:
            yield node.where
        if node.group_by is not None:
            yield from node.group_by.items
        if node.having is not None:
            yield node.having
        for item in node.order_by:
            yield item.expr
    elif isinstance(node, SelectExpr):
        yield node.expr
    elif isinstance(node, Call):
        yield from node.args
    elif isinstance(node, TypeOf):
        for when in node.whens:
            yield from when.fields
        yield from node.else_
    elif isinstance(node, SubQuery):
        yield node.query
    elif isinstance(node, Comparison):
        yield node.left
        yield node.right
    elif isinstance(node, ValueList):
        yield from node.values
    elif isinstance(node, Not):
        yield node.operand
    elif isinstance(node, And | Or):
        yield from node.operands


def walk(node: Any) -> Iterator[Any]:
    """Every node under ``node`` (itself first), depth-first in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children(current))))
