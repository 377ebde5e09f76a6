"""Relationships set by external id, and object-level permissions (issue 9, items 10 and 11).

The org here is hand-made from the real ``Custom__c`` describe (tests/fixtures/real): its name
field (an idLookup field, as custom objects' names are) is copied and renamed into the fields of
``Widget__c`` (``Name``, an external id ``External_Id__c``, a self lookup ``Parent__r``, a
read-only lookup ``Locked__r``, a lookup ``Ghost__r`` to an object the schema does not describe)
and ``Products__x``, an external object the user can neither create nor update.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfschema.cli import main
from sfschema.ids import make_id
from sfschema.schema import OrgSchema
from sfschema.validate import ValidationIssue, record_validator, validate_create, validate_update
from tests.conftest import REAL, load_json

CUSTOM = load_json(REAL / "describe" / "cumulusci" / "Custom__c.json")
WIDGET = make_id("a01", 1)


def _field(name: str, **changes: Any) -> dict[str, Any]:
    field = copy.deepcopy(CUSTOM["fields"][2])  # CustomField__c: a createable string
    field.update(name=name, label=name.removesuffix("__c").replace("_", " "), **changes)
    return field


def _reference(name: str, relationship: str, target: str, **changes: Any) -> dict[str, Any]:
    return _field(
        name,
        type="reference",
        length=18,
        soapType="tns:ID",
        idLookup=False,
        nameField=False,
        referenceTo=[target],
        relationshipName=relationship,
        **changes,
    )


def _object(name: str, prefix: str, fields: list[dict[str, Any]], **changes: Any) -> Any:
    described = copy.deepcopy(CUSTOM)
    described.update(name=name, label=name.removesuffix("__c"), keyPrefix=prefix, **changes)
    described["fields"] = [copy.deepcopy(CUSTOM["fields"][0]), *fields]  # Id first
    return described


@pytest.fixture(scope="module")
def org() -> OrgSchema:
    widget = _object(
        "Widget__c",
        "a01",
        [
            _field("Name", custom=False),
            _field("External_Id__c", externalId=True, idLookup=True, nameField=False),
            _field("Size__c", type="double", precision=18, scale=2, idLookup=False),
            _reference("Parent__c", "Parent__r", "Widget__c"),
            _reference("Locked__c", "Locked__r", "Widget__c", createable=False, updateable=False),
            _reference("Ghost__c", "Ghost__r", "Ghost__c"),
        ],
    )
    products = _object(
        "Products__x",
        "x00",
        [_field("ExternalId", createable=False, updateable=False, externalId=True)],
        createable=False,
        updateable=False,
        deletable=False,
    )
    return OrgSchema({"Widget__c": widget, "Products__x": products})


def test_a_relationship_set_by_external_id_is_valid(org: OrgSchema) -> None:
    values = {"Name": "Child", "Parent__r": {"External_Id__c": "X-1"}, "size__c": 2}
    report = validate_create(org, "Widget__c", values)
    assert report.to_json() == {
        "object": "Widget__c",
        "operation": "create",
        "record_id": None,
        "record_type_id": None,
        "ok": True,
        "payload": {"Name": "Child", "Parent__r": {"External_Id__c": "X-1"}, "Size__c": 2},
        "errors": [],
        "warnings": [],
    }
    update = validate_update(org, "Widget__c", WIDGET, {"parent__r": {"external_id__c": "X-2"}})
    assert (update.ok, update.payload) == (True, {"Parent__r": {"external_id__c": "X-2"}})


@pytest.mark.parametrize(
    ("values", "issue"),
    [
        (
            {"Parent__r": {"Size__c": 2}},
            ValidationIssue(
                "Parent__r",
                "INVALID_FIELD",
                "Field name provided, Size__c is not an External ID or indexed field for Widget__c",
                {"Size__c": 2},
                None,
                "Widget__c's external id fields: 'Name', 'External_Id__c'",
            ),
        ),
        (
            {"Parent__r": {"External_Id__c": "X-1", "Name": "Child"}},
            ValidationIssue(
                "Parent__r",
                "INVALID_FIELD",
                "More than 1 field provided in an external foreign key reference in entity: "
                "Widget__c",
                {"External_Id__c": "X-1", "Name": "Child"},
                None,
                "keep one of 'External_Id__c', 'Name'",
            ),
        ),
        (
            {"Parent__r": {}},
            ValidationIssue(
                "Parent__r",
                "INVALID_FIELD",
                "The foreign key reference Parent__r names no external ID field",
                {},
                None,
                'send {"Parent__r": {"Name": "…"}} (one external id field of the '
                "target), or the record id in Parent__c",
            ),
        ),
        (
            {"Parent__r": "X-1"},
            ValidationIssue(
                "Parent__r",
                "INVALID_FIELD",
                "The value provided for foreign key reference Parent__r is not a nested SObject",
                "X-1",
                None,
                'send {"Parent__r": {"Name": "…"}} (one external id field of the '
                "target), or the record id in Parent__c",
            ),
        ),
        (
            {"Parent__r": {"External_Id__c": {"X": 1}}},
            ValidationIssue(
                "Parent__r",
                "INVALID_TYPE_ON_FIELD_IN_RECORD",
                "External_Id__c: value not of required type: {'X': 1}",
                {"External_Id__c": {"X": 1}},
                None,
                "Widget__c.External_Id__c is a string field: send text",
            ),
        ),
        (
            {"Parent__r": {"attributes": {"type": "Account"}, "External_Id__c": "X-1"}},
            ValidationIssue(
                "Parent__r",
                "INVALID_FIELD",
                "The foreign key reference Parent__r cannot point to sObject type Account",
                {"type": "Account"},
                None,
                "Parent__r points to 'Widget__c'",
            ),
        ),
        (
            {"Locked__r": {"External_Id__c": "X-1"}},
            ValidationIssue(
                "Locked__c",
                "INVALID_FIELD_FOR_INSERT_UPDATE",
                "Unable to create/update fields: Locked__c. Please check the security settings of "
                "this field and verify that it is read/write for your profile or permission set.",
                {"External_Id__c": "X-1"},
                None,
                "remove Locked__c from the values: it is read-only (a system field, or not "
                "editable for this user)",
            ),
        ),
        (
            {"Parent__c": WIDGET, "Parent__r": {"External_Id__c": "X-1"}},
            ValidationIssue(
                "Parent__r",
                "INVALID_FIELD",
                "Cannot specify both an external ID reference Parent__r and a salesforce id, "
                "Parent__c",
                {"External_Id__c": "X-1"},
                None,
                "send either Parent__c (a record id) or Parent__r (an external id), not both",
            ),
        ),
        (
            {"Parent__x": {"External_Id__c": "X-1"}},
            ValidationIssue(
                "Parent__x",
                "INVALID_FIELD",
                "No such column 'Parent__x' on sobject of type Widget__c",
                {"External_Id__c": "X-1"},
                "Parent__c",
                None,
            ),
        ),
    ],
)
def test_what_is_wrong_with_a_relationship_is_said(
    org: OrgSchema, values: dict[str, Any], issue: ValidationIssue
) -> None:
    report = validate_update(org, "Widget__c", WIDGET, values)
    assert (report.payload, report.errors, report.warnings) == ({}, (issue,), ())


def test_a_relationship_sent_twice_is_a_duplicate_even_after_a_refusal(org: OrgSchema) -> None:
    values = {"Parent__r": "X-1", "parent__r": {"External_Id__c": "X-1"}}
    report = validate_update(org, "Widget__c", WIDGET, values)
    assert [(issue.field, issue.code, issue.message) for issue in report.errors] == [
        (
            "Parent__r",
            "INVALID_FIELD",
            "The value provided for foreign key reference Parent__r is not a nested SObject",
        ),
        ("Parent__r", "JSON_PARSER_ERROR", "Duplicate field: Parent__r"),
    ]


def test_a_target_outside_the_schema_is_a_warning(org: OrgSchema) -> None:
    report = validate_update(org, "Widget__c", WIDGET, {"Ghost__r": {"Key__c": "G-1"}})
    assert (report.ok, report.payload) == (True, {"Ghost__r": {"Key__c": "G-1"}})
    assert report.warnings == (
        ValidationIssue(
            "Ghost__r",
            "EXTERNAL_ID_UNCHECKED",
            "Ghost__r: Ghost__c is not in the schema, so Key__c cannot be checked as one of its "
            "external ID fields",
            {"Key__c": "G-1"},
            None,
            "describe Ghost__c too (pull it into the schema) so the key is checked",
        ),
    )


def test_an_object_the_user_cannot_create_or_update_is_refused(org: OrgSchema) -> None:
    """``validate Products__x --create '{}'`` said valid: the external object is read-only."""
    created = validate_create(org, "Products__x", {})
    assert str(created).splitlines() == [
        "Products__x create: 1 error, 0 warnings",
        "error   : CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY: entity type cannot be inserted: "
        "Products__x",
        "    → Products__x records cannot be created by this user (the describe's object "
        "permissions); read-only",
    ]
    updated = validate_update(org, "Products__x", make_id("x00", 1), {"ExternalId": "P-1"})
    assert str(updated).splitlines() == [
        f"Products__x update {make_id('x00', 1)}: 2 errors, 0 warnings",
        "error   : CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY: entity type cannot be updated: "
        "Products__x",
        "    → Products__x records cannot be updated by this user (the describe's object "
        "permissions); read-only",
        "error   ExternalId: INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: "
        "ExternalId. Please check the security settings of this field and verify that it is "
        "read/write for your profile or permission set.",
        "    → remove ExternalId from the values: it is read-only (a system field, or not "
        "editable for this user)",
    ]


SOURCES = [OrgSchema.demo(), "generated.demo"]


@pytest.mark.parametrize("source", SOURCES, ids=["runtime", "generated"])
def test_demo_relationships_by_external_id(source: Any) -> None:
    """The same reports from models built at run time and from the generated package."""
    task = validate_create(
        source,
        "Task",
        {
            "Subject": "Call",
            "What": {"attributes": {"type": "Invoice__c"}, "Invoice_Key__c": "K-1"},
            "Who": {"Email": "ada@example.com"},
        },
    )
    assert task.errors == (
        ValidationIssue(
            "Who",
            "INVALID_FIELD",
            "The foreign key reference Who can point to several object types; say which with "
            '"attributes": {"type": ...}',
            None,
            None,
            'send {"Who": {"attributes": {"type": "Contact"}, "Email": "…"}} (one external id '
            "field of the target), or the record id in WhoId",
        ),
    )
    fixed = validate_create(
        source,
        "Task",
        {
            "Subject": "Call",
            "What": {"attributes": {"type": "Invoice__c"}, "Invoice_Key__c": "K-1"},
            "Who": {"attributes": {"type": "Lead"}, "Email": "ada@example.com"},
        },
    )
    assert (fixed.ok, list(fixed.payload)) == (True, ["Subject", "What", "Who"])
    invoice = validate_create(source, "Invoice__c", {"Account__r": {"Name": "Acme"}})
    assert invoice.errors == (
        ValidationIssue(
            "Account__r",
            "INVALID_FIELD",
            "Field name provided, Name is not an External ID or indexed field for Account",
            {"Name": "Acme"},
            None,
            "Account's external id fields: none",
        ),
    )
    linked = validate_create(source, "Invoice__c", {"Account__r": {"Name": "Acme"}})
    assert linked.errors == invoice.errors
    by_opportunity = validate_create(
        source,
        "Invoice__c",
        {"Account__c": make_id("001", 1), "Opportunity__r": {"Name": "Big deal"}},
    )
    assert (by_opportunity.ok, by_opportunity.payload) == (
        True,
        {"Account__c": make_id("001", 1), "Opportunity__r": {"Name": "Big deal"}},
    )


def test_the_cli_describes_the_targets_of_relationships(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With --org only the object named is described at first; a relationship's target is
    described too, so its key is checked rather than left unchecked."""
    values = {"Account__c": make_id("001", 1), "Opportunity__r": {"Name": "Big deal"}}
    code = main(
        ["validate", "Invoice__c", "--org", "demo", "--create", "--values", json.dumps(values)]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.splitlines() == ["Invoice__c create: valid", "payload: " + json.dumps(values)]
    values["Opportunity__r"] = {"StageName": "Closed Won"}
    code = main(
        ["validate", "Invoice__c", "--org", "demo", "--create", "--values", json.dumps(values)]
    )
    out, _ = capsys.readouterr()
    assert (code, out.splitlines()) == (
        1,
        [
            "Invoice__c create: 1 error, 0 warnings",
            "error   Opportunity__r: INVALID_FIELD: Field name provided, StageName is not an "
            "External ID or indexed field for Opportunity",
            "    → did you mean 'Name'? Opportunity's external id fields: 'Name'",
        ],
    )


def _relationships() -> list[tuple[str, str]]:
    demo = OrgSchema.demo()
    return [
        (name, described.relationship)
        for name in demo.object_names
        for described in record_validator(demo, name).meta.fields
        if described.relationship is not None
    ]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["attributes", "type", "Name", "Email", "Invoice_Key__c", "x"]),
            children,
            max_size=3,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(relationship=st.sampled_from(_relationships()), value=JSON_VALUES)
def test_any_value_for_a_relationship_is_a_report(
    relationship: tuple[str, str], value: Any
) -> None:
    """Whatever a relationship is set to, the report says so in one issue at most, and it is sent
    exactly when the report is ok."""
    object_name, name = relationship
    demo = OrgSchema.demo()
    meta = record_validator(demo, object_name).meta
    report = validate_update(demo, object_name, make_id(meta.key_prefix or "a00", 1), {name: value})
    issues = report.errors + report.warnings
    assert len(issues) <= 1
    assert report.ok == (name in report.payload)
    if report.ok:
        assert report.payload == {name: value}
        assert isinstance(value, dict)
    json.dumps(report.to_json())
