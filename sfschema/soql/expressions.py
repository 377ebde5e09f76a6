"""Builder pieces for expressions and conditions: ``field("Amount") > 100``, ``count()``, …

Each returns tree nodes (``sfschema.soql.ast``); names go through the identifier grammar and
values through ``literal()``'s checks when the node is made.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sfschema.errors import SoqlError
from sfschema.soql.ast import (
    And,
    Call,
    Comparison,
    Condition,
    Currency,
    DateLiteral,
    Expr,
    Field,
    FieldsSelector,
    Literal,
    Not,
    Or,
    Param,
    Query,
    SubQuery,
    TypeOf,
    TypeOfWhen,
    ValueList,
    simple_literals,
)
from sfschema.soql.compiler import in_text_order, render
from sfschema.soql.literals import LikePattern


def _field(name: Any) -> Field:
    if isinstance(name, Field):
        return name
    if not isinstance(name, str):
        raise SoqlError(f"a field name is a string like 'Account.Name', got {name!r:.60}")
    return Field(tuple(name.split(".")))


def to_expr(item: Any) -> Expr:
    if isinstance(item, ExprRef):
        return item.expr
    if isinstance(item, Field | Call):
        return item
    return _field(item)


def value_node(value: Any) -> Literal | DateLiteral | Currency | Param:
    """A Python value (or a value node) as a value node; lists are not single values."""
    if isinstance(value, Literal | DateLiteral | Currency | Param):
        return value
    return Literal(value)


def _value_list(values: Any) -> ValueList:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise SoqlError(f"IN takes a list of values, got {values!r:.60}")
    items = in_text_order(values) if isinstance(values, set | frozenset) else list(values)
    nodes = simple_literals(items)  # plain strings or ints: checked in one pass
    return ValueList(tuple(value_node(v) for v in items) if nodes is None else nodes)


class ExprRef:
    """A field or function on the left of a condition; comparison operators build conditions.

    >>> render(field("Amount") >= 100)
    'Amount >= 100'
    >>> render(field("Name").startswith("50%"))
    "Name LIKE '50\\\\%%'"
    """

    __slots__ = ("expr",)
    __hash__ = None  # type: ignore[assignment]  # == builds a condition

    def __init__(self, expr: Expr) -> None:
        self.expr = expr

    def __repr__(self) -> str:
        return f"field({render(self.expr)!r})"

    def _compare(self, op: str, value: Any) -> Comparison:
        return Comparison(self.expr, op, value_node(value))

    def __eq__(self, value: Any) -> Comparison:  # type: ignore[override]
        return self._compare("=", value)

    def __ne__(self, value: Any) -> Comparison:  # type: ignore[override]
        return self._compare("!=", value)

    def __lt__(self, value: Any) -> Comparison:
        return self._compare("<", value)

    def __le__(self, value: Any) -> Comparison:
        return self._compare("<=", value)

    def __gt__(self, value: Any) -> Comparison:
        return self._compare(">", value)

    def __ge__(self, value: Any) -> Comparison:
        return self._compare(">=", value)

    def like(self, pattern: str | LikePattern) -> Comparison:
        """LIKE with ``%``/``_`` wildcards (``\\%``, ``\\_`` for literal ones).

        >>> render(field("Name").like("Acme%"))
        "Name LIKE 'Acme%'"
        """
        if isinstance(pattern, str):
            pattern = LikePattern(pattern)
        return Comparison(self.expr, "LIKE", Literal(pattern))

    def startswith(self, text: str) -> Comparison:
        """LIKE 'text%' with text matched literally.

        >>> render(field("Name").startswith("10%"))
        "Name LIKE '10\\\\%%'"
        """
        return self.like(LikePattern.startswith(text))

    def endswith(self, text: str) -> Comparison:
        """LIKE '%text' with text matched literally.

        >>> render(field("Email").endswith("@example.org"))
        "Email LIKE '%@example.org'"
        """
        return self.like(LikePattern.endswith(text))

    def contains(self, text: str) -> Comparison:
        """LIKE '%text%' with text matched literally.

        >>> render(field("Name").contains("a_b"))
        "Name LIKE '%a\\\\_b%'"
        """
        return self.like(LikePattern.contains(text))

    def in_(self, values: Any) -> Comparison:
        """IN a list of values, or a semi-join on a ``select(...)``.

        >>> render(field("Type").in_(["Customer", "Partner"]))
        "Type IN ('Customer', 'Partner')"
        >>> from sfschema.soql.builder import select
        >>> render(field("Id").in_(select("AccountId").from_("Contact")))
        'Id IN (SELECT AccountId FROM Contact)'
        """
        return Comparison(self.expr, "IN", _set_operand(values))

    def not_in(self, values: Any) -> Comparison:
        """NOT IN a list of values or a subquery (anti-join).

        >>> render(field("Status").not_in({"Closed", "Lost"}))
        "Status NOT IN ('Closed', 'Lost')"
        """
        return Comparison(self.expr, "NOT IN", _set_operand(values))

    def includes(self, *values: Any) -> Comparison:
        """Multi-select picklist: ``includes("AAA;BBB", "CCC")`` is (AAA and BBB) or CCC.

        >>> render(field("Tags__c").includes("AAA;BBB", "CCC"))
        "Tags__c INCLUDES ('AAA;BBB', 'CCC')"
        """
        return Comparison(self.expr, "INCLUDES", _value_list(values))

    def excludes(self, *values: Any) -> Comparison:
        """Multi-select picklist: none of the values.

        >>> render(field("Tags__c").excludes("AAA"))
        "Tags__c EXCLUDES ('AAA')"
        """
        return Comparison(self.expr, "EXCLUDES", _value_list(values))


def _set_operand(values: Any) -> ValueList | SubQuery | Param:
    from sfschema.soql.builder import Select

    if isinstance(values, Select):
        return values.subquery()
    if isinstance(values, Query):
        return SubQuery(values)
    if isinstance(values, SubQuery | Param):
        return values
    return _value_list(values)


def field(name: str) -> ExprRef:
    """A field or parent path (``"Account.Owner.Name"``) to build conditions on.

    >>> render(field("Account.Owner.Name") != None)
    'Account.Owner.Name != null'
    """
    return ExprRef(_field(name))


def func(name: str, *args: Any) -> ExprRef:
    """A SOQL function; string arguments are field names.

    >>> render(func("calendar_year", "CloseDate") == 2024)
    'CALENDAR_YEAR(CloseDate) = 2024'
    """
    return ExprRef(Call(name, tuple(to_expr(arg) for arg in args)))


def count(name: str | None = None) -> ExprRef:
    """``COUNT()`` (rows) or ``COUNT(field)``; also ``count_distinct``, ``sum_``, ``avg``,
    ``min_``, ``max_``.

    >>> render(count().expr), render(sum_("Amount") > 1000)
    ('COUNT()', 'SUM(Amount) > 1000')
    """
    return func("COUNT") if name is None else func("COUNT", name)


def count_distinct(name: str) -> ExprRef:
    return func("COUNT_DISTINCT", name)


def sum_(name: str) -> ExprRef:
    return func("SUM", name)


def avg(name: str) -> ExprRef:
    return func("AVG", name)


def min_(name: str) -> ExprRef:
    return func("MIN", name)


def max_(name: str) -> ExprRef:
    return func("MAX", name)


def fields(kind: str) -> FieldsSelector:
    """``FIELDS(ALL)``, ``FIELDS(STANDARD)`` or ``FIELDS(CUSTOM)`` as a select item.

    >>> render(fields("all"))
    'FIELDS(ALL)'
    """
    return FieldsSelector(kind)


def typeof(relationship: str, whens: dict[str, Iterable[str]], else_: Iterable[str] = ()) -> TypeOf:
    """``TYPEOF What WHEN Account THEN Phone … ELSE Name END``.

    >>> render(typeof("What", {"Account": ["Phone"]}, else_=["Name"]))
    'TYPEOF What WHEN Account THEN Phone ELSE Name END'
    """
    return TypeOf(
        relationship,
        tuple(TypeOfWhen(obj, tuple(_field(f) for f in names)) for obj, names in whens.items()),
        tuple(_field(f) for f in else_),
    )


def date_literal(name: str, n: int | None = None) -> DateLiteral:
    """A relative date range from the canonical table (``dates.DATE_LITERALS``).

    >>> render(field("CloseDate") >= date_literal("LAST_N_DAYS", 30))
    'CloseDate >= LAST_N_DAYS:30'
    """
    return DateLiteral(name, n)


def and_(*conditions: Condition) -> Condition:
    """All of the conditions (the compiler adds parentheses where needed).

    >>> render(and_(field("A__c") == 1, or_(field("B__c") == 2, field("C__c") == 3)))
    'A__c = 1 AND (B__c = 2 OR C__c = 3)'
    """
    return conditions[0] if len(conditions) == 1 else And(conditions)


def or_(*conditions: Condition) -> Condition:
    """Any of the conditions.

    >>> render(or_(field("A__c") == 1, field("B__c") == 2))
    'A__c = 1 OR B__c = 2'
    """
    return conditions[0] if len(conditions) == 1 else Or(conditions)


def not_(condition: Condition) -> Not:
    """The negation of a condition.

    >>> render(not_(or_(field("A__c") == 1, field("B__c") == 2)))
    'NOT (A__c = 1 OR B__c = 2)'
    """
    return Not(condition)
