"""A generative SOQL builder: every method returns a new ``Select``; nothing is ever mutated.

Names enter only through the identifier grammar (``[A-Za-z][A-Za-z0-9_]*`` per path segment, no
reserved words) and values only through ``literal()``, so no input can change a query's shape.

>>> q = select("Id", "Name").from_("Account").where(Industry="Media").limit(10)
>>> str(q)
"SELECT Id, Name FROM Account WHERE Industry = 'Media' LIMIT 10"
>>> str(q.where(field("AnnualRevenue") > 1_000_000))
"SELECT Id, Name FROM Account WHERE Industry = 'Media' AND AnnualRevenue > 1000000 LIMIT 10"
>>> str(q)  # unchanged
"SELECT Id, Name FROM Account WHERE Industry = 'Media' LIMIT 10"
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sfschema.errors import SoqlError
from sfschema.soql.ast import (
    And,
    Call,
    Comparison,
    Condition,
    Currency,
    DataCategoryFilter,
    DateLiteral,
    Expr,
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
    SelectItem,
    SubQuery,
    TypeOf,
    TypeOfWhen,
    ValueList,
    _count,
)
from sfschema.soql.compiler import render
from sfschema.soql.literals import LikePattern
from sfschema.soql.terms import FOR_OPTIONS, SECURITY_MODES, UPDATE_OPTIONS, _choice, identifier


def _field(name: Any) -> Field:
    if isinstance(name, Field):
        return name
    if not isinstance(name, str):
        raise SoqlError(f"a field name is a string like 'Account.Name', got {name!r:.60}")
    return Field(tuple(name.split(".")))


def _expr(item: Any) -> Expr:
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
    items = list(values)
    if isinstance(values, set | frozenset):
        items.sort(key=lambda item: (type(item).__name__, repr(item)))
    return ValueList(tuple(value_node(v) for v in items))


class ExprRef:
    """A field or function on the left of a condition; comparison operators build conditions.

    >>> from sfschema.soql.compiler import render
    >>> render(field("Amount") >= 100)
    'Amount >= 100'
    >>> render(field("Name").startswith("50%"))
    "Name LIKE '50\\\\%%'"
    """

    __slots__ = ("expr",)
    __hash__ = None  # type: ignore[assignment]  # == builds a condition

    def __init__(self, expr: Expr) -> None:
        self.expr = expr

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
        """LIKE with ``%``/``_`` wildcards: ``field("Name").like("Acme%")``."""
        if isinstance(pattern, str):
            pattern = LikePattern(pattern)
        return Comparison(self.expr, "LIKE", Literal(pattern))

    def startswith(self, text: str) -> Comparison:
        """LIKE 'text%' with text matched literally."""
        return self.like(LikePattern.startswith(text))

    def endswith(self, text: str) -> Comparison:
        return self.like(LikePattern.endswith(text))

    def contains(self, text: str) -> Comparison:
        return self.like(LikePattern.contains(text))

    def in_(self, values: Any) -> Comparison:
        """IN a list of values, or a semi-join: ``field("Id").in_(select("AccountId")...)``."""
        return Comparison(self.expr, "IN", _set_operand(values))

    def not_in(self, values: Any) -> Comparison:
        return Comparison(self.expr, "NOT IN", _set_operand(values))

    def includes(self, *values: Any) -> Comparison:
        """Multi-select picklist: ``includes("AAA;BBB", "CCC")`` is (AAA and BBB) or CCC."""
        return Comparison(self.expr, "INCLUDES", _value_list(values))

    def excludes(self, *values: Any) -> Comparison:
        return Comparison(self.expr, "EXCLUDES", _value_list(values))


def _set_operand(values: Any) -> ValueList | SubQuery | Param:
    if isinstance(values, Select):
        return values.subquery()
    if isinstance(values, Query):
        return SubQuery(values)
    if isinstance(values, SubQuery | Param):
        return values
    return _value_list(values)


def field(name: str) -> ExprRef:
    """A field or parent path (``"Account.Owner.Name"``) to build conditions on."""
    return ExprRef(_field(name))


def func(name: str, *args: Any) -> ExprRef:
    """A SOQL function: ``func("CALENDAR_YEAR", "CloseDate")``; string args are field names."""
    return ExprRef(Call(name, tuple(_expr(arg) for arg in args)))


def count(name: str | None = None) -> ExprRef:
    """``COUNT()`` (rows) or ``COUNT(field)``."""
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
    """``FIELDS(ALL)``, ``FIELDS(STANDARD)`` or ``FIELDS(CUSTOM)`` as a select item."""
    return FieldsSelector(kind)


def typeof(relationship: str, whens: dict[str, Iterable[str]], else_: Iterable[str] = ()) -> TypeOf:
    """``TYPEOF What WHEN Account THEN Phone … ELSE Name END``.

    >>> from sfschema.soql.compiler import render
    >>> render(typeof("What", {"Account": ["Phone"]}, else_=["Name"]))
    'TYPEOF What WHEN Account THEN Phone ELSE Name END'
    """
    return TypeOf(
        relationship,
        tuple(TypeOfWhen(obj, tuple(_field(f) for f in names)) for obj, names in whens.items()),
        tuple(_field(f) for f in else_),
    )


def date_literal(name: str, n: int | None = None) -> DateLiteral:
    """A relative date: ``date_literal("LAST_N_DAYS", 30)`` → ``LAST_N_DAYS:30``."""
    return DateLiteral(name, n)


def and_(*conditions: Condition) -> Condition:
    return conditions[0] if len(conditions) == 1 else And(conditions)


def or_(*conditions: Condition) -> Condition:
    return conditions[0] if len(conditions) == 1 else Or(conditions)


def not_(condition: Condition) -> Not:
    return Not(condition)


def _select_item(item: Any, alias: str | None = None) -> SelectItem:
    if isinstance(item, Select):
        item = item.subquery()
    if isinstance(item, TypeOf | SubQuery | FieldsSelector | SelectExpr):
        if alias is not None:
            raise SoqlError(f"only fields and functions take an alias, not {alias!r}")
        return item
    return SelectExpr(_expr(item), alias)


@dataclass(frozen=True, slots=True)
class Select:
    """An immutable query under construction; ``str()`` renders it, ``.query`` is the tree."""

    items: tuple[SelectItem, ...] = ()
    source: From | None = None
    clauses: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, query: Query) -> Select:
        """A builder starting from a parsed or built ``Query``."""
        values = {f.name: getattr(query, f.name) for f in dataclasses.fields(Query)}
        items, source = values.pop("select"), values.pop("from_")
        values.pop("pos")
        return cls(items, source, tuple((k, v) for k, v in values.items()))

    def _with(self, **changes: Any) -> Select:
        clauses = dict(self.clauses)
        clauses.update(changes)
        return dataclasses.replace(self, clauses=tuple(clauses.items()))

    def _get(self, name: str, default: Any = None) -> Any:
        return dict(self.clauses).get(name, default)

    @property
    def query(self) -> Query:
        """The ``Query`` tree (SoqlError if FROM is missing)."""
        if self.source is None:
            raise SoqlError("the query has no FROM object; call .from_('Account')")
        return Query(select=self.items, from_=self.source, **dict(self.clauses))

    def __str__(self) -> str:
        return render(self.query)

    def pretty(self) -> str:
        """The query laid out one clause a line."""
        return render(self.query, pretty=True)

    def subquery(self) -> SubQuery:
        return SubQuery(self.query)

    def select(self, *items: Any, **aliased: Any) -> Select:
        """Add select items: names, ``func(...)``, ``fields(...)``, ``typeof(...)``, subqueries.

        >>> str(select("StageName").select(total=sum_("Amount")).from_("Opportunity")
        ...     .group_by("StageName"))
        'SELECT StageName, SUM(Amount) total FROM Opportunity GROUP BY StageName'
        """
        new = tuple(_select_item(i) for i in items)
        new += tuple(_select_item(i, alias) for alias, i in aliased.items())
        return dataclasses.replace(self, items=self.items + new)

    def from_(self, name: str, alias: str | None = None) -> Select:
        """The object to query (in a child subquery, the relationship name).

        >>> str(select("Name", select("LastName").from_("Contacts")).from_("Account"))
        'SELECT Name, (SELECT LastName FROM Contacts) FROM Account'
        """
        if not isinstance(name, str):
            raise SoqlError(f"FROM takes an object name, got {name!r:.60}")
        return dataclasses.replace(self, source=From(tuple(name.split(".")), alias))

    def where(self, *conditions: Condition, **equals: Any) -> Select:
        """AND conditions (and ``Field=value`` equalities) onto WHERE.

        >>> str(select("Id").from_("Contact").where(or_(field("A__c") == 1, field("B__c") == 2)))
        'SELECT Id FROM Contact WHERE A__c = 1 OR B__c = 2'
        """
        return self._with(where=self._and(self._get("where"), conditions, equals))

    def having(self, *conditions: Condition, **equals: Any) -> Select:
        """AND conditions onto HAVING (needs ``group_by``).

        >>> str(select("Name").from_("Account").group_by("Name").having(count("Id") > 1))
        'SELECT Name FROM Account GROUP BY Name HAVING COUNT(Id) > 1'
        """
        return self._with(having=self._and(self._get("having"), conditions, equals))

    @staticmethod
    def _and(current: Condition | None, conditions: Any, equals: dict[str, Any]) -> Condition:
        parts = [] if current is None else [current]
        for condition in conditions:
            if isinstance(condition, ExprRef) or not isinstance(
                condition, Comparison | Not | And | Or
            ):
                raise SoqlError(f"not a condition: {condition!r:.60}")
            parts.append(condition)
        parts += [field(name) == value for name, value in equals.items()]
        if not parts:
            raise SoqlError("where()/having() needs at least one condition")
        return and_(*parts)

    def group_by(self, *items: Any, rollup: bool = False, cube: bool = False) -> Select:
        """GROUP BY fields or functions; ``rollup=True`` / ``cube=True`` for subtotals.

        >>> str(select("LeadSource", count("Name")).from_("Lead").group_by("LeadSource",
        ...     rollup=True))
        'SELECT LeadSource, COUNT(Name) FROM Lead GROUP BY ROLLUP(LeadSource)'
        """
        if rollup and cube:
            raise SoqlError("GROUP BY takes ROLLUP or CUBE, not both")
        kind = "ROLLUP" if rollup else "CUBE" if cube else None
        return self._with(group_by=GroupBy(tuple(_expr(i) for i in items), kind))

    def order_by(self, *items: Any, desc: bool = False, nulls: str | None = None) -> Select:
        """Append ORDER BY items (all with the same direction and NULLS placement).

        >>> str(select("Id").from_("Account").order_by("Name", desc=True, nulls="last"))
        'SELECT Id FROM Account ORDER BY Name DESC NULLS LAST'
        """
        direction = "DESC" if desc else None
        new = tuple(OrderItem(_expr(i), direction, nulls) for i in items)
        return self._with(order_by=self._get("order_by", ()) + new)

    def limit(self, n: int) -> Select:
        """LIMIT n.

        >>> str(select("Id").from_("Account").limit(5).offset(10))
        'SELECT Id FROM Account LIMIT 5 OFFSET 10'
        """
        _count(n, "LIMIT")
        return self._with(limit=n)

    def offset(self, n: int) -> Select:
        """OFFSET n (Salesforce allows at most 2,000; the checker says so)."""
        _count(n, "OFFSET")
        return self._with(offset=n)

    def using_scope(self, scope: str) -> Select:
        """USING SCOPE (``mine``, ``team``, ``everything`` …).

        >>> str(select("Id").from_("Account").using_scope("mine"))
        'SELECT Id FROM Account USING SCOPE mine'
        """
        return self._with(scope=identifier(scope, "USING SCOPE"))

    def with_mode(self, mode: str) -> Select:
        """WITH SECURITY_ENFORCED, USER_MODE or SYSTEM_MODE.

        >>> str(select("Id").from_("Account").with_mode("user_mode"))
        'SELECT Id FROM Account WITH USER_MODE'
        """
        return self._with(security=_choice(mode, SECURITY_MODES, "WITH"))

    def with_data_category(self, group: str, selector: str, *categories: str) -> Select:
        """Add a WITH DATA CATEGORY filter (Knowledge articles).

        >>> str(select("Title").from_("Question")
        ...     .with_data_category("Geography__c", "AT", "usa__c", "uk__c"))
        'SELECT Title FROM Question WITH DATA CATEGORY Geography__c AT (usa__c, uk__c)'
        """
        new = DataCategoryFilter(group, selector, categories)
        return self._with(data_category=(*self._get("data_category", ()), new))

    def for_(self, option: str) -> Select:
        """FOR VIEW, FOR REFERENCE or FOR UPDATE.

        >>> str(select("Id").from_("Contact").for_("view"))
        'SELECT Id FROM Contact FOR VIEW'
        """
        return self._with(for_=_choice(option, FOR_OPTIONS, "FOR"))

    def update_(self, option: str) -> Select:
        """UPDATE TRACKING or UPDATE VIEWSTAT (Knowledge)."""
        return self._with(update=_choice(option, UPDATE_OPTIONS, "UPDATE"))


def select(*items: Any, **aliased: Any) -> Select:
    """Start a query: ``select("Id", "Name").from_("Account")``.

    >>> str(select("Id", fields("STANDARD")).from_("Account"))
    'SELECT Id, FIELDS(STANDARD) FROM Account'
    """
    return Select().select(*items, **aliased)
