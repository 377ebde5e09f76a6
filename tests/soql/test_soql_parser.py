"""The parser: the trees it builds, the text it gives back, the errors it reports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfschema.errors import SoqlError, SoqlSyntaxError
from sfschema.soql import LikePattern, parse, render
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
    Query,
    SelectExpr,
    SubQuery,
    TypeOf,
    TypeOfWhen,
    ValueList,
)


def F(*path: str) -> Field:
    return Field(path)


def test_tree_of_a_rich_query() -> None:
    text = """
        select id, account.name acct, count(id) cnt, (select lastname from contacts),
               typeof what when account then phone else name end, fields(standard)
        from contact c using scope mine
        where (name like 'a\\_b%' or not id in ('003000000000001AAA'))
          and createddate = last_n_days:7 and amount > usd-1.5 and d__c = 2024-02-29
          and t__c < 2024-02-29T10:00:00.000+02:00 and id in (select contactid from case)
        with data category geography__c at (usa__c, uk__c)
        with security_enforced
        group by cube(id, account.name)
        having count(id) > 1
        order by name desc nulls last, id
        limit 10 offset 5 for view update viewstat
    """
    assert parse(text) == Query(
        select=(
            SelectExpr(F("id")),
            SelectExpr(F("account", "name"), "acct"),
            SelectExpr(Call("COUNT", (F("id"),)), "cnt"),
            SubQuery(Query(select=(SelectExpr(F("lastname")),), from_=From(("contacts",)))),
            TypeOf("what", (TypeOfWhen("account", (F("phone"),)),), (F("name"),)),
            FieldsSelector("STANDARD"),
        ),
        from_=From(("contact",), "c"),
        scope="mine",
        where=And(
            (
                Or(
                    (
                        Comparison(F("name"), "LIKE", Literal(LikePattern("a\\_b%"))),
                        Not(Comparison(F("id"), "IN", ValueList((Literal("003000000000001AAA"),)))),
                    )
                ),
                Comparison(F("createddate"), "=", DateLiteral("LAST_N_DAYS", 7)),
                Comparison(F("amount"), ">", Currency("USD", Decimal("-1.5"))),
                Comparison(F("d__c"), "=", Literal(date(2024, 2, 29))),
                Comparison(F("t__c"), "<", Literal(datetime(2024, 2, 29, 8, 0, tzinfo=UTC))),
                Comparison(
                    F("id"),
                    "IN",
                    SubQuery(Query(select=(SelectExpr(F("contactid")),), from_=From(("case",)))),
                ),
            )
        ),
        data_category=(DataCategoryFilter("geography__c", "AT", ("usa__c", "uk__c")),),
        security="SECURITY_ENFORCED",
        group_by=GroupBy((F("id"), F("account", "name")), "CUBE"),
        having=Comparison(Call("COUNT", (F("id"),)), ">", Literal(1)),
        order_by=(OrderItem(F("name"), "DESC", "LAST"), OrderItem(F("id"))),
        limit=10,
        offset=5,
        for_="VIEW",
        update="VIEWSTAT",
    )
    assert render(parse(text)) == (
        "SELECT id, account.name acct, COUNT(id) cnt, (SELECT lastname FROM contacts), TYPEOF "
        "what WHEN account THEN phone ELSE name END, FIELDS(STANDARD) FROM contact c USING "
        "SCOPE mine WHERE (name LIKE 'a\\_b%' OR NOT id IN ('003000000000001AAA')) AND "
        "createddate = LAST_N_DAYS:7 AND amount > USD-1.5 AND d__c = 2024-02-29 AND t__c < "
        "2024-02-29T08:00:00Z AND id IN (SELECT contactid FROM case) WITH DATA CATEGORY "
        "geography__c AT (usa__c, uk__c) WITH SECURITY_ENFORCED GROUP BY CUBE(id, account.name) "
        "HAVING COUNT(id) > 1 ORDER BY name DESC NULLS LAST, id LIMIT 10 OFFSET 5 FOR VIEW "
        "UPDATE VIEWSTAT"
    )


def test_pretty_layout() -> None:
    text = (
        "SELECT Id, Name, (SELECT LastName, Email, Phone, Title FROM Contacts WHERE Email != null "
        "ORDER BY LastName) FROM Account WHERE Name LIKE 'Acme%' AND (Industry = 'Media' OR "
        "Industry = 'Retail') AND AnnualRevenue > 1000000 ORDER BY Name LIMIT 10"
    )
    assert render(parse(text), pretty=True) == (
        "SELECT\n"
        "    Id,\n"
        "    Name,\n"
        "    (SELECT LastName, Email, Phone, Title\n"
        "     FROM Contacts\n"
        "     WHERE Email != null\n"
        "     ORDER BY LastName)\n"
        "FROM Account\n"
        "WHERE Name LIKE 'Acme%'\n"
        "    AND (Industry = 'Media' OR Industry = 'Retail')\n"
        "    AND AnnualRevenue > 1000000\n"
        "ORDER BY Name\n"
        "LIMIT 10"
    )
    assert render(parse("select id from account"), pretty=True) == "SELECT id\nFROM account"


def test_names_that_look_like_keywords() -> None:
    query = parse("SELECT Type, Format, Order.Name, Group.Name, Data FROM Group WHERE Type = 'x'")
    assert [item.expr.dotted for item in query.select] == [  # type: ignore[union-attr]
        "Type",
        "Format",
        "Order.Name",
        "Group.Name",
        "Data",
    ]
    assert query.from_ == From(("Group",))
    assert parse("SELECT Id FROM Order ORDER BY Id").from_ == From(("Order",))


def test_comments_whitespace_and_case() -> None:
    a = parse("/* c */ SeLeCt Id // x\n,Name FROM Account wHeRe Name = 'a // b /* c */'")
    b = parse("SELECT Id, Name FROM Account WHERE Name = 'a // b /* c */'")
    assert a == b


def test_not_binds_tighter_than_and() -> None:
    query = parse("SELECT Id FROM A WHERE NOT X = 1 AND Y = 2")
    assert query.where == And(
        (Not(Comparison(F("X"), "=", Literal(1))), Comparison(F("Y"), "=", Literal(2)))
    )
    assert render(parse("SELECT Id FROM A WHERE NOT (X = 1 AND Y = 2)")).endswith(
        "WHERE NOT (X = 1 AND Y = 2)"
    )
    assert render(parse("SELECT Id FROM A WHERE ((X = 1))")).endswith("WHERE X = 1")
    assert parse("SELECT Id FROM A WHERE X <> 1").where == Comparison(F("X"), "!=", Literal(1))


@pytest.mark.parametrize(
    ("text", "reason", "column"),
    [
        ("SELECT Id FROM A WHERE X = 1 AND Y = 2 OR Z = 3", "AND and OR cannot be mixed", 40),
        ("SELECT Id FROM A WHERE X = 1 OR Y = 2 AND Z = 3", "AND and OR cannot be mixed", 39),
        ('SELECT Id FROM A WHERE X = "a"', "double-quoted strings are not SOQL", 28),
        ("SELECT Id FROM A WHERE X = 'a", "unterminated string literal", 28),
        ("SELECT Id FROM A WHERE X = 'a\\%'", "invalid escape sequence \\% in string literal", 28),
        ("SELECT Id FROM A WHERE X = foo", "unexpected 'foo' (a value must be a quoted string", 28),
        ("SELECT Id FROM A WHERE X = 1e3", "unexpected '1e3'", 28),
        ("SELECT Id FROM A WHERE X = 2024-02-30", "invalid date 2024-02-30", 28),
        (
            "SELECT Id FROM A WHERE X = 2024-01-01T00:00:00",
            "datetime 2024-01-01T00:00:00 has no time zone; write it with Z or an offset",
            28,
        ),
        (
            "SELECT Id FROM A WHERE X = 2024-01-01T01:01:01.5Z",
            "datetime 2024-01-01T01:01:01.5Z has fractional seconds (.5), which SOQL datetimes "
            "cannot express; write whole seconds (e.g. 2024-01-01T01:01:01Z)",
            28,
        ),
        (
            "SELECT Id FROM A WHERE X IN (2024-01-01T00:00:00.000Z, 2024-01-01T00:00:00.001-0130)",
            "datetime 2024-01-01T00:00:00.001-0130 has fractional seconds (.001), which SOQL "
            "datetimes cannot express; write whole seconds (e.g. 2024-01-01T00:00:00-0130)",
            56,
        ),
        ("SELECT Id FROM A WHERE X = :p", "bind variable :p is Apex-only", 28),
        ("SELECT Id FROM A WHERE X NOT INCLUDES ('a')", "NOT INCLUDES is not SOQL", 30),
        ("SELECT Id FROM A WHERE X IN ()", "unexpected ')'", 30),
        ("SELECT Id FROM A WHERE X LIKE 1", "LIKE takes a string or a LikePattern", 24),
        ("SELECT Id FROM A.B", "FROM A.B: a top-level query selects from one", 16),
        ("SELECT Id FROM A LIMIT 5 WHERE X = 1", "WHERE is out of place", 32),
        ("SELECT Id FROM A LIMIT 5 LIMIT 6", "LIMIT appears twice", 32),
        ("SELECT Id FROM A HAVING COUNT(Id) > 1", "HAVING needs GROUP BY", 25),
        ("SELECT Id x, Name FROM A ORDER BY Id nulls", "unexpected end of query", 43),
        ("SELECT Id select FROM A", "alias 'select' is a reserved word", 8),
        ("SELECT COUNTT(Id) FROM A", "unknown SOQL function COUNTT() (did you mean 'COUNT'", 8),
        ("SELECT FIELDS(SOME) FROM A", "FIELDS() must be one of ALL, STANDARD, CUSTOM", 8),
        ("SELECT Name, GEOLOCATION(1, 2) FROM A", "GEOLOCATION() is only allowed inside", 14),
        ("SELECT Id FROM A WHERE CreatedDate = LAST_N_DAYS", "unexpected 'LAST_N_DAYS'", 38),
        ("", "unexpected end of query; expected SELECT", 1),
        # Numbers longer than any SOQL number field: an error, never Python's int-limit crash.
        (f"SELECT Id FROM A WHERE X = {'1' * 5000}", "number 1111111", 28),
        (f"SELECT Id FROM A WHERE X = -{'1' * 41}.5", "number -1111111", 28),
        (f"SELECT Id FROM A WHERE X = USD{'1' * 5000}", "number 1111111", 28),
        (f"SELECT Id FROM A LIMIT {'9' * 5000}", "number 9999999", 24),
        (f"SELECT Id FROM A OFFSET {'9' * 41}", "number 9999999", 25),
        (
            f"SELECT Id FROM A WHERE D = LAST_N_DAYS:{'9' * 5000}",
            "LAST_N_DAYS:99999999999999999999...: n has more than 40 digits",
            28,
        ),
    ],
)
def test_errors(text: str, reason: str, column: int) -> None:
    with pytest.raises(SoqlSyntaxError) as info:
        parse(text)
    error = info.value
    assert error.reason.startswith(reason)
    assert (error.line, error.column) == (1, column)
    assert error.code == "MALFORMED_QUERY"


def test_zero_fractional_seconds_are_the_same_instant() -> None:
    query = parse("SELECT Id FROM A WHERE D > 2024-01-01T01:01:01.000+02:00")
    assert render(query) == "SELECT Id FROM A WHERE D > 2023-12-31T23:01:01Z"
    assert parse(render(query)) == query


@settings(max_examples=150)
@given(
    st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30)),
    st.from_regex(r"\A(\.[0-9]{1,9})?\Z").map(lambda f: f or None),
    st.sampled_from(["Z", "+02:00", "-0530"]),
)
def test_fractional_seconds_never_change_a_query(
    moment: datetime, fraction: str | None, zone: str
) -> None:
    """render(parse(q)) denotes the instant q wrote, or parse refuses q; never a nearby one."""
    whole = moment.replace(microsecond=0).isoformat() + zone
    token = whole.replace(zone, (fraction or "") + zone, 1) if fraction else whole
    text = f"SELECT Id FROM A WHERE D = {token}"
    if fraction and fraction.strip(".0"):
        with pytest.raises(SoqlSyntaxError) as info:
            parse(text)
        assert (info.value.reason, info.value.column) == (
            f"datetime {token} has fractional seconds ({fraction}), which SOQL datetimes cannot "
            f"express; write whole seconds (e.g. {whole})",
            28,
        )
        return
    query = parse(text)
    expected = datetime.fromisoformat(whole.replace("Z", "+00:00")).astimezone(UTC)
    assert query.where.right == Literal(expected)  # type: ignore[union-attr]
    assert render(query) == f"SELECT Id FROM A WHERE D = {expected:%Y-%m-%dT%H:%M:%S}Z"
    assert parse(render(query)) == query


def test_long_number_message_is_shortened() -> None:
    with pytest.raises(SoqlSyntaxError) as info:
        parse(f"SELECT Id FROM A WHERE X = {'1' * 5000}")
    assert info.value.reason == f"number {'1' * 47}... has more than 40 digits"
    assert parse(f"SELECT Id FROM A WHERE X = {'9' * 40}").where.right == Literal(10**40 - 1)  # type: ignore[union-attr]


def test_error_position_on_a_later_line() -> None:
    with pytest.raises(SoqlSyntaxError) as info:
        parse("SELECT Id\nFROM Account\nWHERE Name = nope")
    assert (info.value.line, info.value.column, info.value.pos) == (3, 14, 36)
    assert str(info.value) == (
        "unexpected 'nope' (a value must be a quoted string, a number, a date, a date literal, "
        "null, true or false); expected FALSE, NULL, TRUE, a :parameter, a currency amount, a "
        "date, a date literal, a datetime, a number, a string (at line 3, column 14)"
    )


def test_parse_requires_text() -> None:
    with pytest.raises(Exception, match="SOQL must be a string, got bytes"):
        parse(b"SELECT Id FROM A")  # type: ignore[arg-type]


def test_deep_nesting_is_refused_not_a_crash() -> None:
    deep = "SELECT Id FROM A WHERE " + "NOT (" * 3000 + "X = 1" + ")" * 3000
    with pytest.raises(SoqlSyntaxError, match="nest more than 100 levels deep"):
        parse(deep)
    fine = "SELECT Id FROM A WHERE " + "NOT (" * 100 + "X = 1" + ")" * 100
    assert render(parse(fine)) == "SELECT Id FROM A WHERE " + "NOT (" * 99 + "NOT X = 1" + ")" * 99
    condition: Comparison | Not = Comparison(F("X"), "=", Literal(1))
    for _ in range(5000):
        condition = Not(condition)
    with pytest.raises(SoqlError, match="the query nests too deeply to render"):
        render(condition)
