"""Named parameters: soql(), bind(), and command-line text typed by the compared field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfschema.errors import SoqlCheckError, SoqlError
from sfschema.schema import OrgSchema
from sfschema.soql import (
    LikePattern,
    ParamText,
    bind,
    check,
    date_literal,
    parse,
    placeholders,
    render,
    select,
    soql,
)
from sfschema.soql.ast import And, Comparison, Literal


def test_values_of_every_kind() -> None:
    text = (
        "SELECT Id FROM Opportunity WHERE StageName = :stage AND CloseDate > :d AND Amount >= "
        ":amount AND IsClosed = :closed AND LastModifiedDate < :since AND AccountId IN :ids "
        "AND Name LIKE :name AND Type IN (:t1, :t2) AND NextStep = :nothing AND CreatedDate = :rel"
    )
    assert soql(
        text,
        stage="Closed Won",
        d=date(2024, 1, 31),
        amount=Decimal("1E3"),
        closed=False,
        since=datetime(2024, 1, 31, 12, 0, tzinfo=UTC),
        ids=("001000000000001AAA", "001000000000002AAA"),
        name="50%_off",
        t1="New",
        t2="Old",
        nothing=None,
        rel=date_literal("THIS_QUARTER"),
    ) == (
        "SELECT Id FROM Opportunity WHERE StageName = 'Closed Won' AND CloseDate > 2024-01-31 "
        "AND Amount >= 1000 AND IsClosed = false AND LastModifiedDate < 2024-01-31T12:00:00Z "
        "AND AccountId IN ('001000000000001AAA', '001000000000002AAA') AND Name LIKE "
        "'50\\%\\_off' AND Type IN ('New', 'Old') AND NextStep = null AND CreatedDate = "
        "THIS_QUARTER"
    )


def test_like_pattern_and_semi_join_parameters() -> None:
    accounts = select("AccountId").from_("Contact").where(Email=None)
    assert soql(
        "SELECT Id FROM Account WHERE Name LIKE :p AND Id IN :ids",
        p=LikePattern.startswith("Acme"),
        ids=accounts,
    ) == (
        "SELECT Id FROM Account WHERE Name LIKE 'Acme%' AND Id IN (SELECT AccountId FROM "
        "Contact WHERE Email = null)"
    )


def test_parameters_in_subqueries() -> None:
    text = (
        "SELECT Id, (SELECT Id FROM Contacts WHERE LastName = :last) FROM Account "
        "WHERE Id IN (SELECT AccountId FROM Case WHERE Status = :status)"
    )
    query = parse(text, params=True)
    assert placeholders(query) == ["last", "status"]
    assert render(bind(query, {"last": "O'Neil", "status": "New"})) == (
        "SELECT Id, (SELECT Id FROM Contacts WHERE LastName = 'O\\'Neil') FROM Account WHERE "
        "Id IN (SELECT AccountId FROM Case WHERE Status = 'New')"
    )
    assert bind(query, {"last": "x", "status": "y"}) != query  # the template is untouched
    assert placeholders(query) == ["last", "status"]


@pytest.mark.parametrize(
    ("text", "params", "message"),
    [
        ("SELECT Id FROM A WHERE X = :x", {}, "no value for :x (pass x=...)"),
        (
            "SELECT Id FROM A WHERE X = :x",
            {"x": 1, "y": 2},
            "unused parameter(s) y; the query uses :x",
        ),
        ("SELECT Id FROM A", {"y": 2}, "unused parameter(s) y"),
        ("SELECT Id FROM A WHERE X = :x", {"x": [1]}, ":x is a list; use IN :x (or NOT IN)"),
        ("SELECT Id FROM A WHERE X IN :x", {"x": "abc"}, ":x follows IN, so it must be a list"),
        ("SELECT Id FROM A WHERE X IN :x", {"x": []}, ":x: an IN list needs at least one value"),
        ("SELECT Id FROM A WHERE X = :x", {"x": float("inf")}, ":x: inf has no SOQL form"),
        (
            "SELECT Id FROM A WHERE X = :x",
            {"x": datetime(2024, 1, 1)},
            ":x: datetime 2024-01-01T00:00:00 is naive",
        ),
    ],
)
def test_binding_errors(text: str, params: dict[str, object], message: str) -> None:
    with pytest.raises(SoqlError) as info:
        soql(text, **params)  # type: ignore[arg-type]  # no 'schema' key among them
    assert str(info.value).startswith(message)


def test_a_schema_checks_the_bound_query(schema: OrgSchema) -> None:
    assert soql("SELECT Id FROM Lead WHERE Status = :s", schema, s="Open") == (
        "SELECT Id FROM Lead WHERE Status = 'Open'"
    )
    with pytest.raises(SoqlCheckError) as info:
        soql("SELECT Id FROM Lead WHERE CreatedDate > :d AND Nme = :n", schema, d=date.today(), n=1)
    assert [d.message.split(" (")[0] for d in info.value.diagnostics] == [
        "value of filter criterion for field 'CreatedDate' must be of type datetime and should "
        "not be enclosed in quotes",
        "No such column 'Nme' on entity 'Lead'. If you are attempting to use a custom field, "
        "be sure to append the '__c' after the custom field name.",
    ]


@given(st.text())
def test_no_parameter_value_changes_the_query(value: str) -> None:
    template = "SELECT Id FROM Contact WHERE LastName = :v AND Email LIKE :v2 ORDER BY Id"
    try:
        text = soql(template, v=value, v2=value)
    except SoqlError as exc:
        assert "control character" in str(exc) or "surrogate" in str(exc)
        return
    tree = parse(text)
    where = tree.where
    assert isinstance(where, And) and isinstance(where.operands[0], Comparison)
    assert where.operands[0] == Comparison(where.operands[0].left, "=", Literal(value))
    assert render(tree).endswith("ORDER BY Id")


def test_command_line_text_is_typed_by_the_field(schema: OrgSchema) -> None:
    text = (
        "SELECT Id FROM Opportunity WHERE Name = :name AND Amount > :amount AND CloseDate = :d "
        "AND CreatedDate > :since AND IsClosed = :closed AND StageName IN :stages AND "
        "Description LIKE :pattern AND NextStep = :quoted AND Type = :empty"
    )
    params = {
        "name": ParamText("1234"),
        "amount": ParamText("1000.50"),
        "d": ParamText("2024-01-31"),
        "since": ParamText("LAST_N_DAYS:7"),
        "closed": ParamText("true"),
        "stages": ParamText("Prospecting, Closed Won"),
        "pattern": ParamText("Acme%"),
        "quoted": ParamText("'it\\'s'"),
        "empty": ParamText("null"),
    }
    assert render(bind(parse(text, params=True), params, schema)) == (
        "SELECT Id FROM Opportunity WHERE Name = '1234' AND Amount > 1000.50 AND CloseDate = "
        "2024-01-31 AND CreatedDate > LAST_N_DAYS:7 AND IsClosed = true AND StageName IN "
        "('Prospecting', 'Closed Won') AND Description LIKE 'Acme%' AND NextStep = 'it\\'s' "
        "AND Type = null"
    )
    # Without a schema the text's shape decides.
    assert render(bind(parse(text, params=True), params)) == (
        "SELECT Id FROM Opportunity WHERE Name = 1234 AND Amount > 1000.50 AND CloseDate = "
        "2024-01-31 AND CreatedDate > LAST_N_DAYS:7 AND IsClosed = true AND StageName IN "
        "('Prospecting', 'Closed Won') AND Description LIKE 'Acme%' AND NextStep = 'it\\'s' "
        "AND Type = null"
    )
    lots = bind(parse(text, params=True), {**params, "amount": ParamText("lots")}, schema)
    assert "Amount > 'lots'" in render(lots)  # the checker says what is wrong, where
    with pytest.raises(SoqlError, match=r":d='2024-02-30' is not a valid value: day is out"):
        bind(parse(text, params=True), {**params, "d": ParamText("2024-02-30")}, schema)
    since = ParamText("2024-01-31T10:00:00+01:00")
    bound = bind(parse(text, params=True), {**params, "since": since}, schema)
    assert "CreatedDate > 2024-01-31T09:00:00Z" in render(bound)


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("1e-7", "Amount > 0.0000001"),
        ("1E-7", "Amount > 0.0000001"),
        ("-2.5e+3", "Amount > -2500"),
        (".5e1", "Amount > 5"),
        ("1e39", "Amount > 1" + "0" * 39),
    ],
)
def test_command_line_numbers_in_exponent_form_are_numbers(
    schema: OrgSchema, text: str, bound: str
) -> None:
    template = parse("SELECT Id FROM Opportunity WHERE Amount > :a", params=True)
    for with_schema in (schema, None):
        query = bind(template, {"a": ParamText(text)}, with_schema)
        assert render(query) == f"SELECT Id FROM Opportunity WHERE {bound}"
        assert check(query, schema) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e-50", ":a='1e-50' is not a valid value: number 1E-50 has more than 40 digits"),
        ("1e40", ":a='1e40' is not a valid value: number 1E+40 has more than 40 digits"),
        (
            "1e" + "9" * 30,
            f":a='1e{'9' * 30}' is not a valid value: number 1e{'9' * 30} has more than 40 digits",
        ),
    ],
)
def test_command_line_numbers_too_long_to_write_plainly(text: str, message: str) -> None:
    template = parse("SELECT Id FROM Opportunity WHERE Amount > :a", params=True)
    with pytest.raises(SoqlError) as info:
        bind(template, {"a": ParamText(text)})
    assert str(info.value) == message


def test_exponent_text_compared_with_a_text_field_stays_text(schema: OrgSchema) -> None:
    template = parse("SELECT Id FROM Opportunity WHERE Name = :n", params=True)
    query = bind(template, {"n": ParamText("1e-7")}, schema)
    assert render(query) == "SELECT Id FROM Opportunity WHERE Name = '1e-7'"


def test_partial_binding_leaves_the_rest_for_check_to_report() -> None:
    template = parse("SELECT Id FROM Account WHERE Name = :a AND Id IN :b", params=True)
    query = bind(template, {"a": "x"}, partial=True)
    assert render(query) == "SELECT Id FROM Account WHERE Name = 'x' AND Id IN :b"
    assert [(d.code, d.pos, d.suggestion) for d in check(render(query))] == [
        ("MALFORMED_QUERY", 50, "soql(text, b=...)")
    ]
    with pytest.raises(SoqlError) as info:
        bind(template, {"a": "x"})
    assert str(info.value) == "no value for :b (pass b=...)"
    with pytest.raises(SoqlError) as info:
        bind(template, {"a": "x", "c": 1}, partial=True)
    assert str(info.value) == "unused parameter(s) c; the query uses :a, :b"
