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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sfschema.errors import SoqlError
from sfschema.soql.ast import (
    And,
    Comparison,
    Condition,
    DataCategoryFilter,
    FieldsSelector,
    From,
    GroupBy,
    Not,
    Or,
    OrderItem,
    Query,
    SelectExpr,
    SelectItem,
    SubQuery,
    TypeOf,
    whole_count,
)
from sfschema.soql.compiler import render
from sfschema.soql.expressions import (
    ExprRef,
    and_,
    avg,
    count,
    count_distinct,
    date_literal,
    field,
    fields,
    func,
    max_,
    min_,
    not_,
    or_,
    sum_,
    to_expr,
    typeof,
    value_node,
)
from sfschema.soql.terms import FOR_OPTIONS, SECURITY_MODES, UPDATE_OPTIONS, choice, identifier

if TYPE_CHECKING:
    from sfschema.schema import OrgSchema
    from sfschema.soql.check import Diagnostic

__all__ = [
    "ExprRef",
    "Select",
    "and_",
    "avg",
    "count",
    "count_distinct",
    "date_literal",
    "field",
    "fields",
    "func",
    "max_",
    "min_",
    "not_",
    "or_",
    "select",
    "sum_",
    "typeof",
    "value_node",
]


def _select_item(item: Any, alias: str | None = None) -> SelectItem:
    if isinstance(item, Select):
        item = item.subquery()
    if isinstance(item, TypeOf | SubQuery | FieldsSelector | SelectExpr):
        if alias is not None:
            raise SoqlError(f"only fields and functions take an alias, not {alias!r}")
        return item
    return SelectExpr(to_expr(item), alias)


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
        """The query as a parenthesised subquery node (for ``select()`` or ``in_()``)."""
        return SubQuery(self.query)

    def check(self, schema: OrgSchema | None = None) -> list[Diagnostic]:
        """Every problem Salesforce would find, checked against ``schema`` (see ``check``).

        >>> [d.message for d in select("Id").from_("Account").offset(2001).check()]
        ['OFFSET 2001 is more than Salesforce allows (2000)']
        """
        from sfschema.soql.check import check

        return check(self.query, schema)

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
        return self._with(group_by=GroupBy(tuple(to_expr(i) for i in items), kind))

    def order_by(self, *items: Any, desc: bool = False, nulls: str | None = None) -> Select:
        """Append ORDER BY items (all with the same direction and NULLS placement).

        >>> str(select("Id").from_("Account").order_by("Name", desc=True, nulls="last"))
        'SELECT Id FROM Account ORDER BY Name DESC NULLS LAST'
        """
        direction = "DESC" if desc else None
        new = tuple(OrderItem(to_expr(i), direction, nulls) for i in items)
        return self._with(order_by=self._get("order_by", ()) + new)

    def limit(self, n: int) -> Select:
        """LIMIT n.

        >>> str(select("Id").from_("Account").limit(5).offset(10))
        'SELECT Id FROM Account LIMIT 5 OFFSET 10'
        """
        whole_count(n, "LIMIT")
        return self._with(limit=n)

    def offset(self, n: int) -> Select:
        """OFFSET n (Salesforce allows at most 2,000; the checker says so)."""
        whole_count(n, "OFFSET")
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
        return self._with(security=choice(mode, SECURITY_MODES, "WITH"))

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
        return self._with(for_=choice(option, FOR_OPTIONS, "FOR"))

    def update_(self, option: str) -> Select:
        """UPDATE TRACKING or UPDATE VIEWSTAT (Knowledge)."""
        return self._with(update=choice(option, UPDATE_OPTIONS, "UPDATE"))


def select(*items: Any, **aliased: Any) -> Select:
    """Start a query: ``select("Id", "Name").from_("Account")``.

    >>> str(select("Id", fields("STANDARD")).from_("Account"))
    'SELECT Id, FIELDS(STANDARD) FROM Account'
    """
    return Select().select(*items, **aliased)
