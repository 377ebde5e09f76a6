"""Checker limits: duplicate fields, 55 parent and 20 child relationships, depths, FIELDS() bounds,
LIKE on multi-select picklists. Every diagnostic is asserted whole (code, message, position)."""

from __future__ import annotations

from typing import Any

import pytest

from sfschema.schema import OrgSchema
from sfschema.soql import check, field, select
from sfschema.soql.check import Diagnostic

DUPLICATE = "duplicate field selected: {}"


def error(
    text: str, at: str, code: str, message: str, suggestion: str | None = None, nth: int = 0
) -> Diagnostic:
    """The diagnostic expected at the ``nth`` occurrence of ``at`` in a one-line ``text``."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(at, pos + 1)
    return Diagnostic("error", code, message, pos, 1, pos + 1, suggestion)


# -- duplicate fields --------------------------------------------------------------------------


def test_a_field_selected_twice(schema: OrgSchema) -> None:
    text = "SELECT Id, Name, id, Account.Name, account.NAME, c.Name FROM Contact c"
    assert check(text, schema) == [
        error(text, "id,", "INVALID_FIELD", DUPLICATE.format("id"), "remove id"),
        error(
            text,
            "account.NAME",
            "INVALID_FIELD",
            DUPLICATE.format("account.NAME"),
            "remove account.NAME",
        ),
        error(text, "c.Name", "INVALID_FIELD", DUPLICATE.format("c.Name"), "remove c.Name"),
    ]
    assert check(text) == check(text, schema)  # no schema needed for this rule


def test_fields_standard_then_id_is_the_documented_error() -> None:
    text = "SELECT FIELDS(STANDARD), Id FROM Account"
    message = "duplicate field selected: Id (FIELDS(STANDARD) selects it too)"
    assert check(text) == [error(text, "Id FROM", "INVALID_FIELD", message, "remove Id")]


def test_id_then_fields_all_is_the_references_example() -> None:
    text = "SELECT Id, FIELDS(ALL) FROM User LIMIT 200"
    message = "duplicate field selected: Id (FIELDS(ALL) selects it too)"
    assert check(text) == [error(text, "FIELDS", "INVALID_FIELD", message, "remove Id")]


def test_fields_against_the_describe(schema: OrgSchema) -> None:
    text = "SELECT Name, FIELDS(STANDARD) FROM Account"
    message = "duplicate field selected: Name (FIELDS(STANDARD) selects it too)"
    assert check(text, schema) == [error(text, "FIELDS", "INVALID_FIELD", message, "remove Name")]
    # A custom field is not among the standard ones, and the other way round.
    assert check("SELECT CustomField__c, FIELDS(STANDARD) FROM Custom__c", schema) == []
    assert check("SELECT Name, FIELDS(CUSTOM) FROM Custom__c LIMIT 10", schema) == []
    text = "SELECT FIELDS(CUSTOM), CustomField__c FROM Custom__c LIMIT 10"
    message = "duplicate field selected: CustomField__c (FIELDS(CUSTOM) selects it too)"
    assert check(text, schema) == [
        error(text, "CustomField__c", "INVALID_FIELD", message, "remove CustomField__c")
    ]
    # Without a schema a __c name is known to be custom; other names are not known to be standard.
    assert check(text) == check(text, schema)
    assert check("SELECT Name, FIELDS(STANDARD) FROM Account") == []


def test_two_fields_selectors_that_overlap(schema: OrgSchema) -> None:
    text = "SELECT FIELDS(STANDARD), FIELDS(ALL) FROM Account LIMIT 200"
    message = "duplicate field selected: Id (FIELDS(STANDARD) and FIELDS(ALL) both select it)"
    expected = [error(text, "FIELDS(ALL)", "INVALID_FIELD", message, "remove FIELDS(STANDARD)")]
    assert check(text, schema) == expected
    assert check(text) == expected
    text = "SELECT FIELDS(CUSTOM), FIELDS(CUSTOM) FROM Custom__c LIMIT 200"
    message = (
        "duplicate field selected: CustomField__c (FIELDS(CUSTOM) and FIELDS(CUSTOM) both "
        "select it)"
    )
    assert check(text, schema) == [
        error(text, "FIELDS", "INVALID_FIELD", message, "remove FIELDS(CUSTOM)", nth=1)
    ]
    assert check(text) == []  # which custom fields exist is not known without the describe
    assert check("SELECT FIELDS(CUSTOM), FIELDS(STANDARD) FROM Account LIMIT 5", schema) == []


def test_what_is_not_a_duplicate(schema: OrgSchema) -> None:
    # Each subquery has its own field list; aliased aggregates are separate columns.
    assert check("SELECT Id, (SELECT Id FROM Contacts) FROM Account", schema) == []
    grouped = "SELECT Name, COUNT(Id) a, COUNT(Id) b FROM Account GROUP BY Name"
    assert check(grouped, schema) == []
    # Duplicates inside a subquery are found there.
    text = "SELECT Id, (SELECT LastName, lastname FROM Contacts) FROM Account"
    assert check(text, schema) == [
        error(text, "lastname", "INVALID_FIELD", DUPLICATE.format("lastname"), "remove lastname")
    ]


def test_builder_duplicates_have_no_position(schema: OrgSchema) -> None:
    diagnostics = select("Id", "Name", "Id").from_("Account").check(schema)
    assert diagnostics == [
        Diagnostic("error", "INVALID_FIELD", DUPLICATE.format("Id"), None, None, None, "remove Id")
    ]


# -- 55 child-to-parent relationships ---------------------------------------------------------


def _parents(count: int) -> list[str]:
    return [f"R{i}__r.Name" for i in range(1, count + 1)]


def test_55_child_to_parent_relationships() -> None:
    fields = _parents(55)
    assert check(f"SELECT {', '.join(fields)} FROM Custom__c") == []
    # Used again, a relationship counts once (in WHERE and ORDER BY too).
    again = f"SELECT {', '.join(fields)}, R1__r.Id FROM Custom__c WHERE R2__r.Name = 'x' "
    assert check(again + "ORDER BY R3__r.Name") == []
    text = f"SELECT {', '.join([*fields, 'R56__r.Name'])} FROM Custom__c"
    message = (
        "No more than 55 child-to-parent relationships can be specified in a query: R56__r is "
        "the 56th"
    )
    assert check(text) == [error(text, "R56__r.Name", "MALFORMED_QUERY", message)]


def test_deeper_paths_and_subqueries_count_each_relationship() -> None:
    # A__r.B__r.Name follows two relationships (A__r and A__r.B__r).
    fields = [*_parents(53), "A__r.B__r.Name"]
    assert check(f"SELECT {', '.join(fields)} FROM Custom__c") == []
    text = f"SELECT {', '.join(fields)}, (SELECT Owner.Name FROM Children__r) FROM Custom__c"
    message = (
        "No more than 55 child-to-parent relationships can be specified in a query: Owner is "
        "the 56th"
    )
    assert check(text) == [error(text, "Owner.Name", "MALFORMED_QUERY", message)]
    # A qualifier (alias or the object's name) is not a relationship.
    assert check(f"SELECT c.{', c.'.join(_parents(55))}, Custom__c.Id FROM Custom__c c") == []


def test_typeof_counts_the_relationship_and_each_when() -> None:
    typeof = "TYPEOF What WHEN Account THEN Phone WHEN Opportunity THEN Amount END"
    assert check(f"SELECT {', '.join(_parents(52))}, {typeof} FROM Event") == []
    text = f"SELECT {', '.join(_parents(53))}, {typeof} FROM Event"
    message = (
        "No more than 55 child-to-parent relationships can be specified in a query: What (WHEN "
        "Opportunity) is the 56th"
    )
    assert check(text) == [error(text, "TYPEOF", "MALFORMED_QUERY", message)]


# -- 20 parent-to-child subqueries and their nesting ------------------------------------------


def _children(count: int) -> str:
    return ", ".join(f"(SELECT Id FROM C{i}__r)" for i in range(1, count + 1))


def test_20_parent_to_child_subqueries() -> None:
    assert check(f"SELECT Id, {_children(20)} FROM Custom__c") == []
    text = f"SELECT Id, {_children(22)} FROM Custom__c"
    message = (
        "SOQL statements cannot query more than 20 different child types: (SELECT … FROM "
        "C21__r) is the 21st parent-to-child subquery"
    )
    assert check(text) == [error(text, "SELECT Id FROM C21__r", "MALFORMED_QUERY", message)]
    # Nested subqueries count too.
    nested = f"SELECT Id, {_children(19)}, (SELECT Id, (SELECT Id FROM D__r) FROM E__r) FROM A"
    [too_many] = check(nested)
    assert (too_many.pos, too_many.message) == (
        nested.index("SELECT Id FROM D__r"),
        "SOQL statements cannot query more than 20 different child types: (SELECT … FROM D__r) "
        "is the 21st parent-to-child subquery",
    )


def test_five_levels_of_parent_to_child_counting_the_top_query() -> None:
    # The reference's own five-level example (API 58.0+): the top query and four nested levels.
    five = (
        "SELECT Name, (SELECT LastName, (SELECT AssetLevel, (SELECT Description, (SELECT "
        "LineItemNumber FROM WorkOrderLineItems) FROM WorkOrders) FROM Assets) FROM Contacts) "
        "FROM Account"
    )
    assert check(five) == []
    six = five.replace(
        "(SELECT LineItemNumber FROM WorkOrderLineItems)",
        "(SELECT LineItemNumber, (SELECT Id, (SELECT Id FROM Deeper__r) FROM Notes) FROM "
        "WorkOrderLineItems)",
    )
    message = (
        "more than 5 levels of parent-to-child relationships: the top query is the first "
        "level, so subqueries nest at most 4 deep"
    )
    at = "SELECT Id, (SELECT Id FROM Deeper__r)"
    assert check(six) == [error(six, at, "MALFORMED_QUERY", message)]


# -- child-to-parent depth ---------------------------------------------------------------------


@pytest.mark.parametrize("with_schema", [False, True])
def test_parent_depth_with_and_without_a_schema(schema: OrgSchema, with_schema: bool) -> None:
    given = schema if with_schema else None
    five = "Account.Parent.Parent.Parent.Parent.Name"
    for ok in (
        f"SELECT {five} FROM Contact",
        f"SELECT Contact.{five} FROM Contact",
        f"SELECT c.{five} FROM Contact c",
    ):
        assert check(ok, given) == []
    text = "SELECT Id FROM Contact WHERE Account.Parent.Parent.Parent.Parent.Parent.Name = 'x'"
    path = "Account.Parent.Parent.Parent.Parent.Parent.Name"
    message = f"{path}: SOQL follows at most 5 levels of parent relationships, this path has 6"
    assert check(text, given) == [error(text, path, "MALFORMED_QUERY", message)]


# -- LIKE on a multi-select picklist -------------------------------------------------------------


def test_like_on_a_multi_select_picklist(care_home: OrgSchema) -> None:
    text = "SELECT Id FROM Room__c WHERE Equipment__c LIKE '%Hoist%'"
    message = (
        "invalid operator on multipicklist field: LIKE does not work on Equipment__c; use "
        "INCLUDES or EXCLUDES"
    )
    assert check(text, care_home) == [
        error(
            text,
            "Equipment__c",
            "INVALID_QUERY_FILTER_OPERATOR",
            message,
            "Equipment__c INCLUDES (…)",
        )
    ]
    built = select("Id").from_("Room__c").where(field("Equipment__c").contains("Hoist"))
    assert [d.code for d in built.check(care_home)] == ["INVALID_QUERY_FILTER_OPERATOR"]
    fine = "SELECT Id FROM Room__c WHERE Equipment__c INCLUDES ('Hoist;Wi-Fi') AND Name LIKE 'A%'"
    assert check(fine, care_home) == []


# -- FIELDS(ALL | CUSTOM) bounded by Ids -------------------------------------------------------


def _ids(count: int) -> str:
    return ", ".join(f"'001000000000{n:03d}AAA'" for n in range(count))


@pytest.mark.parametrize(
    ("where", "bounded"),
    [
        (f"Id IN ({_ids(200)})", True),
        (f"Id IN ({_ids(201)})", False),
        ("Id = '001000000000001AAA' OR Id = '001000000000002AAA'", True),
        (f"Id IN ({_ids(150)}) OR Id IN ({_ids(50)})", True),
        (f"Id IN ({_ids(150)}) OR Id IN ({_ids(51)})", False),
        ("Name = 'x'", False),
        ("Id = '001000000000001AAA' OR Name = 'x'", False),
        ("Id IN (SELECT AccountId FROM Contact)", False),
    ],
)
def test_fields_all_bounded_by_an_id_list(where: str, bounded: bool) -> None:
    text = f"SELECT FIELDS(ALL) FROM Account WHERE {where}"
    expected: list[Any] = []
    if not bounded:
        expected = [
            error(
                text,
                "FIELDS",
                "MALFORMED_QUERY",
                "FIELDS(ALL) needs LIMIT 200 or less: The SOQL FIELDS function is not supported "
                "with an unbounded set of fields in this API.",
                "add LIMIT 200",
            )
        ]
    assert check(text) == expected
