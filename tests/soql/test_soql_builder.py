"""The generative builder: exact SOQL out, nothing mutated, no input can change the tree."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sfschema.errors import SoqlError
from sfschema.soql import (
    LikePattern,
    Select,
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
    parse,
    render,
    select,
    sum_,
    typeof,
)
from sfschema.soql.ast import Comparison, Field, From, Literal, Query, SelectExpr
from sfschema.soql.terms import RESERVED

IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def test_full_query_text() -> None:
    contacts = select("LastName", "Email").from_("Contacts").where(Email=None).limit(5)
    query = (
        select("Id", "Name", "Owner.Name", contacts)
        .from_("Account", alias="a")
        .using_scope("mine")
        .where(
            field("Industry").in_(["Media", "Retail"]),
            or_(field("AnnualRevenue") >= Decimal("1E6"), not_(field("Name").startswith("Test"))),
            field("CreatedDate") > date_literal("LAST_N_DAYS", 30),
        )
        .with_mode("SECURITY_ENFORCED")
        .order_by("Name")
        .order_by("CreatedDate", desc=True, nulls="LAST")
        .limit(50)
        .offset(100)
        .for_("VIEW")
    )
    assert str(query) == (
        "SELECT Id, Name, Owner.Name, (SELECT LastName, Email FROM Contacts WHERE Email = null "
        "LIMIT 5) FROM Account a USING SCOPE mine WHERE Industry IN ('Media', 'Retail') AND "
        "(AnnualRevenue >= 1000000 OR NOT Name LIKE 'Test%') AND CreatedDate > LAST_N_DAYS:30 "
        "WITH SECURITY_ENFORCED ORDER BY Name, CreatedDate DESC NULLS LAST LIMIT 50 OFFSET 100 "
        "FOR VIEW"
    )
    assert parse(str(query)) == query.query


def test_aggregates_and_functions() -> None:
    query = (
        select("StageName", total=sum_("Amount"), biggest=max_("Amount"))
        .select(avg("Amount"), min_("CloseDate"), count_distinct("AccountId"), count("Id"))
        .select(year=func("CALENDAR_YEAR", "CloseDate"))
        .from_("Opportunity")
        .group_by("StageName", func("CALENDAR_YEAR", "CloseDate"), rollup=True)
        .having(count("Id") > 1)
    )
    assert str(query) == (
        "SELECT StageName, SUM(Amount) total, MAX(Amount) biggest, AVG(Amount), MIN(CloseDate), "
        "COUNT_DISTINCT(AccountId), COUNT(Id), CALENDAR_YEAR(CloseDate) year FROM Opportunity "
        "GROUP BY ROLLUP(StageName, CALENDAR_YEAR(CloseDate)) HAVING COUNT(Id) > 1"
    )
    assert str(select(count()).from_("Lead")) == "SELECT COUNT() FROM Lead"


def test_like_helpers_escape_user_text() -> None:
    base = select("Id").from_("Account")
    assert str(base.where(field("Name").like("Acme%"))).endswith("WHERE Name LIKE 'Acme%'")
    assert str(base.where(field("Name").contains("50%_"))).endswith("WHERE Name LIKE '%50\\%\\_%'")
    assert str(base.where(field("Name").endswith("O'Neil"))).endswith("LIKE '%O\\'Neil'")
    # A plain str in a LIKE tree node is matched literally.
    node = Comparison(Field(("Name",)), "LIKE", Literal("100%"))
    assert render(node) == "Name LIKE '100\\%'"


def test_set_operators_and_semi_join() -> None:
    accounts = select("AccountId").from_("Contact").where(field("Email").endswith("@x.org"))
    query = (
        select("Id")
        .from_("Account")
        .where(field("Id").in_(accounts), field("Type").not_in({"B", "A"}))
        .where(field("Tags__c").includes("a;b", "c"), field("Tags__c").excludes("d"))
    )
    assert str(query) == (
        "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Email LIKE "
        "'%@x.org') AND Type NOT IN ('A', 'B') AND Tags__c INCLUDES ('a;b', 'c') AND Tags__c "
        "EXCLUDES ('d')"
    )


def test_typeof_fields_and_categories() -> None:
    query = (
        select(typeof("What", {"Account": ["Phone"], "Opportunity": ["Amount"]}, else_=["Name"]))
        .select(fields("standard"))
        .from_("Event")
        .update_("tracking")
    )
    assert str(query) == (
        "SELECT TYPEOF What WHEN Account THEN Phone WHEN Opportunity THEN Amount ELSE Name END, "
        "FIELDS(STANDARD) FROM Event UPDATE TRACKING"
    )
    knowledge = (
        select("Title")
        .from_("KnowledgeArticleVersion")
        .with_data_category("Geography__c", "above_or_below", "europe__c")
        .with_data_category("Product__c", "AT", "a__c", "b__c")
    )
    assert str(knowledge).endswith(
        "WITH DATA CATEGORY Geography__c ABOVE_OR_BELOW europe__c AND Product__c AT (a__c, b__c)"
    )


def test_values_are_typed_not_quoted() -> None:
    query = (
        select("Id")
        .from_("Event")
        .where(
            field("ActivityDate") == date(2024, 1, 31),
            field("StartDateTime") < datetime(2024, 1, 31, 9, 30, 15, tzinfo=UTC),
            field("IsPrivate") == False,  # noqa: E712 - builds a condition
            field("DurationInMinutes") != 0.5,
        )
    )
    assert str(query) == (
        "SELECT Id FROM Event WHERE ActivityDate = 2024-01-31 AND StartDateTime < "
        "2024-01-31T09:30:15Z AND IsPrivate = false AND DurationInMinutes != 0.5"
    )


def test_builder_is_immutable() -> None:
    base = select("Id", "Name").from_("Account").where(Industry="Media")
    before = (base.items, base.source, base.clauses, str(base))
    first = base.where(field("Rating") == "Hot").order_by("Name").limit(1)
    second = base.select("Phone").from_("Contact").where(LastName="X").offset(5)
    assert (base.items, base.source, base.clauses, str(base)) == before
    assert str(first) == (
        "SELECT Id, Name FROM Account WHERE Industry = 'Media' AND Rating = 'Hot' ORDER BY Name "
        "LIMIT 1"
    )
    assert str(second) == (
        "SELECT Id, Name, Phone FROM Contact WHERE Industry = 'Media' AND LastName = 'X' OFFSET 5"
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        base.items = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        base.query.limit = 3  # type: ignore[misc]
    tree = base.query
    assert isinstance(tree.select, tuple) and isinstance(tree.select[0], SelectExpr)


def test_of_round_trips_a_parsed_query() -> None:
    text = "SELECT Id FROM Account WHERE Name = 'x' ORDER BY Name LIMIT 3"
    built = Select.of(parse(text)).where(field("Id") != None)  # noqa: E711
    assert str(built) == (
        "SELECT Id FROM Account WHERE Name = 'x' AND Id != null ORDER BY Name LIMIT 3"
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: select("Id; DELETE"), "field name 'Id; DELETE' is not a valid SOQL name"),
        (lambda: select("Id").from_("Account WHERE"), "object name 'Account WHERE' is not"),
        (lambda: select("FROM"), "field name 'FROM' is a reserved word in SOQL"),
        (lambda: select(x=field("Id")).select(**{"select": field("Name")}), "alias 'select'"),
        (lambda: select("Id").from_("A").where(field("N") == []), "a list is not a single"),
        (lambda: field("Id").in_([]), "an IN list needs at least one value"),
        (lambda: field("Id").in_("abc"), "IN takes a list of values, got 'abc'"),
        (lambda: field("Name").like("a\\b"), "a backslash may only precede"),
        (lambda: str(select("Id")), "the query has no FROM object; call .from_('Account')"),
        (lambda: select("Id").from_("A").limit(-1), "LIMIT must be a whole number ≥ 0"),
        (lambda: select("Id").from_("A").having(count() > 1).query, "HAVING needs GROUP BY"),
        (lambda: select("Id").from_("A").where(field("Id")), "not a condition"),  # type: ignore[arg-type]
        (lambda: func("SUMM", "Amount"), "unknown SOQL function SUMM() (did you mean 'SUM'"),
        (lambda: func("SUM", "A", "B"), "SUM() takes 1 argument(s), got 2"),
        (lambda: select("Id").group_by("A", rollup=True, cube=True), "not both"),
        (lambda: date_literal("LAST_N_DAYS"), "needs a whole number"),
        (lambda: field("Amount") > float("nan"), "nan has no SOQL form"),
        (lambda: select("Id").from_("A").with_mode("GOD_MODE"), "WITH must be one of"),
    ],
)
def test_bad_builder_input(build: Any, message: str) -> None:
    with pytest.raises(SoqlError) as info:
        build()
    assert message in str(info.value)


# -- no input changes the tree -------------------------------------------------------------

valid_names = st.from_regex(IDENT, fullmatch=True).filter(
    lambda s: len(s) < 20 and s.upper() not in RESERVED
)
# Mostly valid names (so most cases render), some arbitrary text (which must be refused).
names = st.one_of(*[valid_names] * 9, st.text(max_size=12))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.dates(min_value=date(1000, 1, 1)),
    st.datetimes(min_value=datetime(1000, 1, 2), timezones=st.just(UTC)).map(
        lambda moment: moment.replace(microsecond=0)  # SOQL has whole seconds only
    ),
)


def _conditions(names: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, str, Any]]:
    return st.one_of(
        st.tuples(names, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), scalars),
        st.tuples(names, st.sampled_from(["IN", "NOT IN"]), st.lists(scalars, max_size=4)),
        st.tuples(names, st.just("LIKE"), st.text()),
        st.tuples(names, st.just("INCLUDES"), st.lists(st.text(), max_size=3)),
    )


conditions = _conditions(names)


def _condition(name: str, op: str, value: Any) -> Comparison:
    ref = field(name)
    if op in ("IN", "NOT IN"):
        return ref.in_(value) if op == "IN" else ref.not_in(value)
    if op == "INCLUDES":
        return ref.includes(*value) if isinstance(value, list) else ref.includes(value)
    if op == "LIKE":
        return ref.contains(value) if isinstance(value, str) else ref.like(value)
    compare = {
        "=": ref.__eq__,
        "!=": ref.__ne__,
        "<": ref.__lt__,
        "<=": ref.__le__,
        ">": ref.__gt__,
        ">=": ref.__ge__,
    }
    return compare[op](value)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    fields_=st.lists(names, min_size=1, max_size=3),
    obj=names,
    alias=st.one_of(st.none(), st.none(), names),
    where=st.lists(conditions, max_size=3),
    order=st.lists(names, max_size=2),
    limit=st.one_of(st.none(), st.integers(min_value=-2, max_value=10**6)),
)
def test_no_builder_input_changes_the_tree(
    fields_: list[str],
    obj: str,
    alias: str | None,
    where: list[tuple[str, str, Any]],
    order: list[str],
    limit: int | None,
) -> None:
    try:
        query = select(*fields_).from_(obj, alias=alias)
        for name, op, value in where:
            query = query.where(_condition(name, op, value))
        if order:
            query = query.order_by(*order)
        if limit is not None:
            query = query.limit(limit)
        tree = query.query
    except SoqlError:
        event("rejected")
        return  # rejected with a clear error; nothing was rendered
    event("accepted")
    text = str(query)
    assert parse(text) == tree
    for item in tree.select:
        assert isinstance(item, SelectExpr) and isinstance(item.expr, Field)
        assert all(IDENT.fullmatch(part) for part in item.expr.path)
    assert isinstance(tree.from_, From) and IDENT.fullmatch(tree.from_.name)


def test_hostile_values_stay_values() -> None:
    hostile = "x' OR Name != 'y"
    query = select("Id").from_("Account").where(Name=hostile)
    tree = parse(str(query))
    assert tree == query.query
    assert isinstance(tree.where, Comparison) and tree.where.right == Literal(hostile)
    assert str(query) == "SELECT Id FROM Account WHERE Name = 'x\\' OR Name != \\'y'"


def test_query_nodes_validate_direct_construction() -> None:
    with pytest.raises(SoqlError, match="not a valid SOQL name"):
        Field(("Name) FROM User --",))
    with pytest.raises(SoqlError, match="SELECT needs at least one field"):
        Query(select=(), from_=From(("Account",)))
    assert Literal(1) == Literal(Decimal("1.00")) and Literal(1) != Literal(True)
    assert hash(Literal(1)) == hash(Literal(Decimal("1")))
    assert LikePattern("a%") != "a%"  # type: ignore[comparison-overlap]  # never equal to text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.lists(_conditions(valid_names), min_size=1, max_size=4), name=valid_names)
def test_any_values_keep_their_place(where: list[tuple[str, str, Any]], name: str) -> None:
    """Valid names, arbitrary values: the text parses back to the very same conditions."""
    query = select(name).from_("Account")
    try:
        for field_name, op, value in where:
            query = query.where(_condition(field_name, op, value))
    except SoqlError as exc:
        event(f"refused: {str(exc).split(' ')[0]}")
        return
    event("rendered")
    assert parse(str(query)) == query.query
