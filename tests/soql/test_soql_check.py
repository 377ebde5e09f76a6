"""The checker against real describes (CumulusCI's cassettes): whole diagnostic lists."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sfschema.errors import SoqlCheckError
from sfschema.schema import OrgSchema
from sfschema.soql import check, check_or_raise, field, select
from sfschema.soql.check import Diagnostic


def _at(text: str | None, diagnostic: Diagnostic) -> str | None:
    """The word the diagnostic points at (None when it has no position)."""
    if diagnostic.pos is None or text is None:
        return None
    match = re.match(r"[^\s,()]+", text[diagnostic.pos :])
    return match.group() if match else text[diagnostic.pos : diagnostic.pos + 1]


def _summary(diagnostics: list[Diagnostic], text: str | None = None) -> list[tuple[Any, ...]]:
    return [(d.severity, d.code, _at(text, d), d.message, d.suggestion) for d in diagnostics]


def _checked(text: str, schema: OrgSchema | None = None) -> list[tuple[Any, ...]]:
    return _summary(check(text, schema), text)


NO_COLUMN = (
    "No such column '{name}' on entity '{obj}'. If you are attempting to use a custom field, be "
    "sure to append the '__c' after the custom field name."
)


def test_clean_query_has_no_diagnostics(schema: OrgSchema) -> None:
    text = (
        "SELECT Id, Name, Account.Name, Account.Parent.Name, (SELECT Subject FROM Cases) "
        "FROM Contact WHERE Account.Industry = 'Media' AND CreatedDate = LAST_N_DAYS:30 "
        "AND Birthdate < 2000-01-01 ORDER BY LastName LIMIT 10"
    )
    assert check(text, schema) == []


def test_unknown_fields_with_suggestions(schema: OrgSchema) -> None:
    text = "SELECT Id, Nme, Account.Nam, Acount.Name, AccountId.Name FROM Contact"
    relationship = (
        "Didn't understand relationship '{part}' in field path on entity 'Contact'. If you are "
        "attempting to use a custom relationship, be sure to append the '__r' after the custom "
        "relationship name."
    )
    assert _checked(text, schema) == [
        (
            "error",
            "INVALID_FIELD",
            "Nme",
            NO_COLUMN.format(name="Nme", obj="Contact") + " (did you mean 'Name'?)",
            "Name",
        ),
        (
            "error",
            "INVALID_FIELD",
            "Account.Nam",
            NO_COLUMN.format(name="Nam", obj="Account") + " (did you mean 'Name'?)",
            "Name",
        ),
        (
            "error",
            "INVALID_FIELD",
            "Acount.Name",
            relationship.format(part="Acount") + " (did you mean 'Account'?)",
            "Account",
        ),
        (
            "error",
            "INVALID_FIELD",
            "AccountId.Name",
            relationship.format(part="AccountId") + " (use the relationship name 'Account')",
            "Account",
        ),
    ]


def test_paths_into_objects_the_snapshot_lacks_are_warnings(schema: OrgSchema) -> None:
    text = "SELECT Id, Owner.Name, CreatedBy.Email FROM Account"
    assert _checked(text, schema) == [
        (
            "warning",
            "NOT_CHECKED",
            "Owner.Name",
            "User not in snapshot; Owner.Name not checked",
            None,
        ),
        (
            "warning",
            "NOT_CHECKED",
            "CreatedBy.Email",
            "User not in snapshot; CreatedBy.Email not checked",
            None,
        ),
    ]
    [warning] = check_or_raise("SELECT Id, Owner.Name FROM Account", schema)
    assert warning.severity == "warning"


def test_objects(schema: OrgSchema) -> None:
    assert _checked("SELECT Id FROM Acount", schema) == [
        (
            "error",
            "INVALID_TYPE",
            "Acount",
            "sObject type 'Acount' is not supported. If you are attempting to use a custom "
            "object, be sure to append the '__c' after the entity name. (did you mean "
            "'Account' or 'Contact'?)",
            "Account",
        )
    ]
    # Listed by the global describe, but no describe in the snapshot: not checked, not wrong.
    assert _checked("SELECT Id, Whatever__c FROM User", schema) == [
        ("warning", "NOT_CHECKED", "User", "User not in snapshot; its fields are not checked", None)
    ]


def test_polymorphic_relationships(schema: OrgSchema) -> None:
    text = "SELECT Id, What.Name, Who.FirstName, Owner.IsActive, What.Industry FROM Event"
    [diagnostic] = check(text, schema)
    assert (diagnostic.code, _at(text, diagnostic), diagnostic.suggestion) == (
        "INVALID_FIELD",
        "What.Industry",
        "TYPEOF What WHEN … THEN … END",
    )
    assert diagnostic.message.startswith(
        "What.Industry: What is polymorphic (Account, ApptBundleAggrDurDnscale"
    )
    assert diagnostic.message.endswith(
        "without TYPEOF only the Name object's fields (Alias, Email, FirstName, Id, IsActive, "
        "LastName, LastReferencedDate, LastViewedDate, Name, Phone, ProfileId, RecordTypeId, "
        "Title, Type, UserRoleId, Username) can follow it"
    )


def test_typeof(schema: OrgSchema) -> None:
    ok = (
        "SELECT TYPEOF What WHEN Account THEN Phone, Industry WHEN Opportunity THEN Amount "
        "ELSE Name END FROM Event"
    )
    assert check(ok, schema) == []
    bad = (
        "SELECT TYPEOF What WHEN Acount THEN Phone WHEN Account THEN Phon WHEN Campaign THEN "
        "Name ELSE Industry END FROM Event"
    )
    summary = _checked(bad, schema)
    assert [s[:3] for s in summary] == [
        ("error", "INVALID_FIELD", "TYPEOF"),
        ("error", "INVALID_FIELD", "Phon"),
        ("warning", "NOT_CHECKED", "TYPEOF"),
        ("error", "INVALID_FIELD", "Industry"),
    ]
    assert summary[0][3].startswith("TYPEOF What WHEN Acount: What can be Account, ")
    assert summary[0][4] == "Account"
    assert summary[1][3:] == (
        NO_COLUMN.format(name="Phon", obj="Account") + " (did you mean 'Phone'?)",
        "Phone",
    )
    assert summary[2][3] == "Campaign not in snapshot; TYPEOF What WHEN Campaign not checked"
    assert summary[3][3].startswith("TYPEOF … ELSE Industry: ELSE selects fields of the Name")


def test_filter_sort_group_flags(schema: OrgSchema) -> None:
    text = (
        "SELECT Description, COUNT(Id) FROM Account WHERE Description = 'x' "
        "GROUP BY Description ORDER BY Description"
    )
    assert [(d.code, d.column, d.message) for d in check(text, schema)] == [
        ("INVALID_FIELD", 50, "field 'Description' can not be filtered in a query call"),
        ("INVALID_FIELD", 77, "field 'Description' can not be grouped in a query call"),
        ("INVALID_FIELD", 98, "field 'Description' can not be sorted in a query call"),
    ]


def test_value_types(schema: OrgSchema) -> None:
    text = (
        "SELECT Id FROM Opportunity WHERE CloseDate > 2020-01-01T00:00:00Z AND Amount = '5' "
        "AND IsClosed = 1 AND Name = 5 AND CreatedDate = 2020-01-01 AND CloseDate = TODAY "
        "AND Amount > USD100 AND Probability > EUR5 AND AccountId = '001000000000001' "
        "AND AccountId IN ('123', null) AND Name = null"
    )
    template = (
        "value of filter criterion for field '{field}' must be of type {type} and should "
        "{neg}be enclosed in quotes (got {got})"
    )

    def wrong(at: str, name: str, wanted: str, got: str, neg: str = "not ") -> tuple[Any, ...]:
        message = template.format(field=name, type=wanted, neg=neg, got=got)
        return ("error", "INVALID_FIELD", at, message, None)

    assert _checked(text, schema) == [
        wrong("2020-01-01T00:00:00Z", "CloseDate", "date", "datetime"),
        wrong("'5'", "Amount", "currency", "text"),
        wrong("1", "IsClosed", "boolean", "number"),
        wrong("5", "Name", "string", "number", neg=""),
        wrong("2020-01-01", "CreatedDate", "datetime", "date"),
        wrong("EUR5", "Probability", "percent", "a currency amount"),
        ("error", "INVALID_QUERY_FILTER_OPERATOR", "'123'", "invalid ID field: 123", None),
    ]


def test_operators_and_picklists(schema: OrgSchema) -> None:
    text = (
        "SELECT Id FROM Account WHERE Amount__c LIKE 'x' AND NumberOfEmployees LIKE '5%' "
        "AND Industry INCLUDES ('Media') AND CleanStatus = 'Matchedd' AND CleanStatus IN "
        "('Matched', 'Nope') AND Industry = 'Anything'"
    )
    summary = _checked(text, schema)
    assert summary[0][:3] == ("error", "INVALID_FIELD", "Amount__c")
    assert summary[0][3].startswith(NO_COLUMN.format(name="Amount__c", obj="Account"))
    assert summary[1:] == [
        (
            "error",
            "INVALID_QUERY_FILTER_OPERATOR",
            "NumberOfEmployees",
            "LIKE works on text fields; NumberOfEmployees is int",
            None,
        ),
        (
            "error",
            "INVALID_QUERY_FILTER_OPERATOR",
            "Industry",
            "INCLUDES works on multi-select picklists; Industry is picklist",
            None,
        ),
        (
            "warning",
            "UNKNOWN_PICKLIST_VALUE",
            "'Matchedd'",
            "'Matchedd' is not a value of the restricted picklist CleanStatus; the filter "
            "matches no rows (did you mean 'Matched'?)",
            "Matched",
        ),
        (
            "warning",
            "UNKNOWN_PICKLIST_VALUE",
            "'Nope'",
            "'Nope' is not a value of the restricted picklist CleanStatus; the filter matches "
            "no rows (values: Matched, Different, Acknowledged, NotFound, Inactive, Pending, "
            "SelectMatch, Skipped)",
            None,
        ),
    ]


def test_grouping_rules(schema: OrgSchema) -> None:
    text = "SELECT Name, Industry, COUNT(Id) FROM Account GROUP BY Industry ORDER BY Rating"
    assert _checked(text, schema) == [
        ("error", "MALFORMED_QUERY", "Name", "Field must be grouped or aggregated: Name", None),
        (
            "error",
            "MALFORMED_QUERY",
            "Rating",
            "Ordered field must be grouped or aggregated: Rating",
            None,
        ),
    ]
    assert _checked("SELECT COUNT(), Name FROM Account", schema) == [
        (
            "error",
            "MALFORMED_QUERY",
            "SELECT",
            "COUNT() counts rows and must be alone in SELECT; use COUNT(Id) with other fields",
            None,
        )
    ]
    text = "SELECT SUM(Name) FROM Account WHERE COUNT(Id) > 1"
    assert _checked(text, schema) == [
        ("error", "INVALID_FIELD", "SUM", "SUM() needs a number field; Name is string", None),
        (
            "error",
            "MALFORMED_QUERY",
            "COUNT",
            "aggregate functions belong in HAVING, not WHERE: COUNT(Id)",
            None,
        ),
    ]
    grouped = "SELECT Industry, SUM(AnnualRevenue) s FROM Account GROUP BY Industry"
    assert check(grouped, schema) == []


def test_child_and_semi_join_subqueries(schema: OrgSchema) -> None:
    text = (
        "SELECT Id, (SELECT LastName FROM Contactz), (SELECT Name FROM Account.Contacts), "
        "(SELECT Id FROM Notes) FROM Account a WHERE Id IN (SELECT AccountId FROM Contact) "
        "AND Name IN (SELECT Name FROM Contact) AND Id IN (SELECT Id, Name FROM Lead)"
    )
    summary = _checked(text, schema)
    assert summary[0][:3] == ("error", "INVALID_TYPE", "Contactz")
    assert summary[0][3].startswith("Didn't understand relationship 'Contactz' in FROM part")
    assert summary[0][3].endswith("(did you mean 'Contacts' or 'Contracts' or 'ContactRequests'?)")
    assert summary[1:] == [
        (
            "warning",
            "NOT_CHECKED",
            "Notes",
            "Note not in snapshot; (SELECT … FROM Notes) not checked",
            None,
        ),
        (
            "error",
            "INVALID_FIELD",
            "Name",
            "Name IN (SELECT …): the left side of a semi-join must be an ID or reference field, "
            "not string",
            None,
        ),
        (
            "error",
            "INVALID_FIELD",
            "Name",
            "a semi-join subquery must select an ID or reference field; Name is string",
            None,
        ),
        (
            "error",
            "MALFORMED_QUERY",
            "SELECT",
            "a semi-join subquery (IN (SELECT …)) selects exactly one ID or reference field",
            None,
        ),
    ]


def test_limits_without_a_schema() -> None:
    text = "SELECT FIELDS(ALL) FROM Account LIMIT 201 OFFSET 2001"
    assert _checked(text) == [
        (
            "error",
            "MALFORMED_QUERY",
            "FIELDS",
            "FIELDS(ALL) needs LIMIT 200 or less: The SOQL FIELDS function is not supported with "
            "an unbounded set of fields in this API.",
            "add LIMIT 200",
        ),
        (
            "error",
            "NUMBER_OUTSIDE_VALID_RANGE",
            "SELECT",
            "OFFSET 2001 is more than Salesforce allows (2000)",
            "OFFSET 2000",
        ),
    ]
    assert check("SELECT FIELDS(STANDARD) FROM Account") == []
    assert check("SELECT FIELDS(CUSTOM) FROM Account LIMIT 200") == []
    long_string = "x" * 4001
    [too_long] = check(f"SELECT Id FROM Account WHERE Name = '{long_string}'")
    assert too_long.message == (
        "a string literal in WHERE is 4001 characters; Salesforce allows 4000"
    )
    names = ", ".join(f"Field{i}__c" for i in range(9000))
    text = f"SELECT {names} FROM Account"
    [length] = check(text)
    assert (length.code, length.message) == (
        "MALFORMED_QUERY",
        f"SOQL statements can not be longer than 100000 characters (this one has {len(text)})",
    )
    assert len(text) > 100_000
    [sub] = check("SELECT Id, (SELECT Id FROM Contacts OFFSET 5) FROM Account")
    assert sub.message == "OFFSET in a subquery needs LIMIT 1 on the outer query"
    assert check("SELECT Id, (SELECT Id FROM Contacts OFFSET 5) FROM Account LIMIT 1") == []


def test_parent_depth(schema: OrgSchema) -> None:
    text = "SELECT Account.Parent.Parent.Parent.Parent.Parent.Name FROM Contact"
    [diagnostic] = check(text, schema)
    assert diagnostic.message == (
        "Account.Parent.Parent.Parent.Parent.Parent.Name: SOQL follows at most 5 levels of "
        "parent relationships, this path has 6"
    )
    assert check("SELECT Account.Parent.Parent.Parent.Parent.Name FROM Contact", schema) == []


def test_syntax_error_is_one_diagnostic() -> None:
    [diagnostic] = check("SELECT Id FROM")
    assert diagnostic.to_json() == {
        "severity": "error",
        "code": "MALFORMED_QUERY",
        "message": "unexpected end of query; expected a name",
        "pos": 14,
        "line": 1,
        "column": 15,
        "suggestion": None,
    }
    assert str(diagnostic) == "error MALFORMED_QUERY 1:15 unexpected end of query; expected a name"


def test_built_queries_have_no_positions(schema: OrgSchema) -> None:
    query = select("Id", "Nmae").from_("Lead").where(field("Status") == "Open")
    [diagnostic] = check(query.query, schema)
    assert (diagnostic.pos, diagnostic.line, diagnostic.suggestion) == (None, None, "Name")


def test_check_or_raise_lists_every_error(schema: OrgSchema) -> None:
    with pytest.raises(SoqlCheckError) as info:
        check_or_raise("SELECT Nme, Phon FROM Lead", schema)
    assert len(info.value.diagnostics) == 2
    assert str(info.value).startswith("2 problem(s) in the query: error INVALID_FIELD 1:8 No such")


def test_unbound_placeholders_are_errors_where_they_stand(schema: OrgSchema) -> None:
    text = (
        "SELECT Id FROM Opportunity WHERE Name = :n AND StageName IN :stages AND AccountId IN "
        "(SELECT Id FROM Account WHERE Name LIKE :pattern) AND Amount > 5 AND Name = :n"
    )

    def unbound(name: str, fix: str) -> tuple[Any, ...]:
        message = (
            f"placeholder :{name} has no value, and Salesforce takes bind variables only in "
            f"Apex; give {fix}"
        )
        return ("error", "MALFORMED_QUERY", f":{name}", message, fix)

    expected = [
        unbound("n", "soql(text, n=...)"),
        unbound("stages", "soql(text, stages=...)"),
        unbound("pattern", "soql(text, pattern=...)"),
        unbound("n", "soql(text, n=...)"),
    ]
    assert _checked(text, schema) == expected
    assert _checked(text) == expected  # no schema needed to see them
    assert _summary(check(text, schema, bind_hint="--param {name}=VALUE"), text) == [
        unbound("n", "--param n=VALUE"),
        unbound("stages", "--param stages=VALUE"),
        unbound("pattern", "--param pattern=VALUE"),
        unbound("n", "--param n=VALUE"),
    ]
    having = "SELECT StageName FROM Opportunity GROUP BY StageName HAVING COUNT(Id) > :least"
    assert [(d.code, d.column, d.suggestion) for d in check(having, schema)] == [
        ("MALFORMED_QUERY", 73, "soql(text, least=...)")
    ]
    with pytest.raises(SoqlCheckError, match="placeholder :n has no value"):
        check_or_raise("SELECT Id FROM Opportunity WHERE Name = :n", schema)


DISTANCE = "DISTANCE(BillingAddress, GEOLOCATION(37.775, -122.418), 'mi')"


def test_distance_on_a_location_field_filters_and_sorts() -> None:
    """Address and geolocation compound fields are used through DISTANCE (SOQL and SOSL
    Reference, "DISTANCE"): filtered with < or >, sorted in ORDER BY, selected."""
    demo = OrgSchema.demo()
    text = f"SELECT Id, {DISTANCE} FROM Account WHERE {DISTANCE} < 20 ORDER BY {DISTANCE}"
    assert check(text, demo) == []
    assert check(f"SELECT Id FROM Account WHERE {DISTANCE} > 1.5", demo) == []


def test_distance_wrong_operator_field_or_unit_is_refused() -> None:
    demo = OrgSchema.demo()
    assert _checked(f"SELECT Id FROM Account WHERE {DISTANCE} <= 20", demo) == [
        (
            "error",
            "INVALID_QUERY_FILTER_OPERATOR",
            "DISTANCE",
            "DISTANCE() in WHERE is compared with < or >, not <=",
            f"{DISTANCE} < 20",
        )
    ]
    assert _checked(f"SELECT Id FROM Account WHERE {DISTANCE} = 20", demo) == [
        (
            "error",
            "INVALID_QUERY_FILTER_OPERATOR",
            "DISTANCE",
            "DISTANCE() in WHERE is compared with < or >, not =",
            None,
        )
    ]
    text = "SELECT Id FROM Account WHERE DISTANCE(Name, GEOLOCATION(1, 2), 'km') > 2"
    assert _checked(text, demo) == [
        (
            "error",
            "INVALID_FIELD",
            "Name",
            "DISTANCE() takes a geolocation or address field; Name is string",
            None,
        )
    ]
    text = "SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(1, 2), 'yd') > 2"
    assert _checked(text, demo) == [
        (
            "error",
            "MALFORMED_QUERY",
            "DISTANCE",
            "DISTANCE() takes the unit 'mi' or 'km' third",
            None,
        )
    ]
    # The compound field alone still cannot be sorted on.
    assert _checked("SELECT Id FROM Account ORDER BY BillingAddress", demo) == [
        (
            "error",
            "INVALID_FIELD",
            "BillingAddress",
            "field 'BillingAddress' can not be sorted in a query call",
            None,
        )
    ]
