"""Field names, writability per operation, required fields and nulls."""

from __future__ import annotations

from typing import Any

import pytest

from sfschema.ids import make_id
from sfschema.schema import OrgSchema
from sfschema.validate import ValidationIssue, validate_create, validate_update

OPP = make_id("006", 1)
INVOICE = make_id("a0I", 1)
ACCOUNT = make_id("001", 2)
UNABLE = (
    "Unable to create/update fields: {}. Please check the security settings of this field and "
    "verify that it is read/write for your profile or permission set."
)


@pytest.fixture(scope="module")
def demo() -> OrgSchema:
    return OrgSchema.demo()


def issue(
    field: str, code: str, message: str, value: Any, suggestion: str | None = None, hint: Any = None
) -> ValidationIssue:
    return ValidationIssue(field, code, message, value, suggestion, hint)


def test_unknown_fields_are_invalid_field_with_did_you_mean(demo: OrgSchema) -> None:
    report = validate_update(
        demo,
        "Opportunity",
        OPP,
        {"Stage": "Prospecting", "Amountt": 5, "Close Date": "2024-01-31", "x-y": 1},
    )
    assert not report.ok
    assert report.errors == (
        issue(
            "Stage",
            "INVALID_FIELD",
            "No such column 'Stage' on sobject of type Opportunity",
            "Prospecting",
            "StageName",
        ),
        issue(
            "Amountt",
            "INVALID_FIELD",
            "No such column 'Amountt' on sobject of type Opportunity",
            5,
            "Amount",
            "other close names: AccountId",
        ),
        issue(
            "Close Date",
            "INVALID_FIELD",
            "No such column 'Close Date' on sobject of type Opportunity",
            "2024-01-31",
            "CloseDate",
            "other close names: IsClosed",
        ),
        issue("x-y", "INVALID_FIELD", "No such column 'x-y' on sobject of type Opportunity", 1),
    )
    assert report.warnings == ()
    assert report.payload == {}


def test_field_names_ignore_case_and_the_payload_uses_api_names(demo: OrgSchema) -> None:
    report = validate_update(demo, "opportunity", OPP.lower(), {"stagename": "Prospecting"})
    assert report.ok and report.errors == () and report.warnings == ()
    assert report.payload == {"StageName": "Prospecting"}
    assert report.object_name == "Opportunity" and report.record_id == OPP


def test_the_same_field_twice_is_a_duplicate(demo: OrgSchema) -> None:
    report = validate_update(demo, "Opportunity", OPP, {"Name": "a", "NAME": "b"})
    assert report.errors == (
        issue(
            "Name",
            "JSON_PARSER_ERROR",
            "Duplicate field: Name",
            "b",
            hint="'NAME' names Name again (field names ignore case); keep one",
        ),
    )


def test_read_only_fields_on_update_say_why(demo: OrgSchema) -> None:
    report = validate_update(
        demo,
        "Opportunity",
        OPP,
        {"IsWon": True, "CreatedDate": "2024-01-01T00:00:00Z", "ContactId": make_id("003", 7)},
    )
    assert report.errors == (
        issue(
            "IsWon",
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            UNABLE.format("IsWon"),
            True,
            hint="remove IsWon from the values: it is read-only (a system field, or not "
            "editable for this user)",
        ),
        issue(
            "CreatedDate",
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            UNABLE.format("CreatedDate"),
            "2024-01-01T00:00:00Z",
            hint="remove CreatedDate from the values: it is read-only (a system field, or not "
            "editable for this user)",
        ),
        issue(
            "ContactId",
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            UNABLE.format("ContactId"),
            make_id("003", 7),
            hint="remove ContactId from the values: it can be set only when the record is created",
        ),
    )


def test_formula_and_autonumber_fields_are_never_writable(demo: OrgSchema) -> None:
    values = {"Name": "INV-0001", "Total__c": 5, "Amount__c": 10}
    expected = (
        issue(
            "Name",
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            UNABLE.format("Name"),
            "INV-0001",
            hint="remove Name from the values: it is an auto-number field",
        ),
        issue(
            "Total__c",
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            UNABLE.format("Total__c"),
            5,
            hint="remove Total__c from the values: it is a formula field",
        ),
    )
    assert validate_update(demo, "Invoice__c", INVOICE, values).errors == expected
    create = validate_create(demo, "Invoice__c", {**values, "Account__c": ACCOUNT})
    assert create.errors == expected


def test_createable_only_and_updateable_only_fields(real_schema: OrgSchema) -> None:
    create = validate_create(
        real_schema,
        "Whizbang",
        {
            "CreateableButNotUpdateableField": "2024-01-31T10:00:00Z",
            "UpdateableButNotCreateableField": "2024-01-31T10:00:00Z",
        },
    )
    assert create.errors == (
        issue(
            "UpdateableButNotCreateableField",
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            UNABLE.format("UpdateableButNotCreateableField"),
            "2024-01-31T10:00:00Z",
            hint="remove UpdateableButNotCreateableField from the values: it can be set only on "
            "update, not on create",
        ),
    )
    update = validate_update(
        real_schema,
        "Whizbang",
        make_id("a01", 5),
        {
            "CreateableButNotUpdateableField": "2024-01-31T10:00:00Z",
            "UpdateableButNotCreateableField": "2024-01-31T10:00:00Z",
        },
    )
    assert update.errors == (
        issue(
            "CreateableButNotUpdateableField",
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            UNABLE.format("CreateableButNotUpdateableField"),
            "2024-01-31T10:00:00Z",
            hint="remove CreateableButNotUpdateableField from the values: it can be set only "
            "when the record is created",
        ),
    )
    assert update.payload == {}


def test_formula_fields_of_a_real_npsp_style_custom_object(real_schema: OrgSchema) -> None:
    report = validate_update(
        real_schema, "Property__c", make_id("a03", 9), {"Total_Occupied_Rooms__c": 3}
    )
    assert report.errors == (
        issue(
            "Total_Occupied_Rooms__c",
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            UNABLE.format("Total_Occupied_Rooms__c"),
            3,
            hint="remove Total_Occupied_Rooms__c from the values: it is a formula field",
        ),
    )


def test_required_fields_missing_on_create(demo: OrgSchema) -> None:
    report = validate_create(demo, "Opportunity", {"Amount": 10})
    assert report.errors == tuple(
        issue(
            name,
            "REQUIRED_FIELD_MISSING",
            f"Required fields are missing: [{name}]",
            None,
            hint=f"{name} is required when creating Opportunity",
        )
        for name in ("Name", "StageName", "CloseDate")
    )
    # A field with a default (OwnerId, IsPrivate) and a nillable one are not required.
    ok = validate_create(
        demo, "Opportunity", {"Name": "n", "StageName": "Prospecting", "CloseDate": "2024-01-31"}
    )
    assert ok.ok and ok.payload == {
        "Name": "n",
        "StageName": "Prospecting",
        "CloseDate": "2024-01-31",
    }
    # Nothing is required on update.
    assert validate_update(demo, "Opportunity", OPP, {}).ok


def test_null_for_a_field_that_cannot_be_empty(demo: OrgSchema) -> None:
    report = validate_update(
        demo, "Invoice__c", INVOICE, {"Account__c": None, "Paid__c": None, "Due_Date__c": None}
    )
    assert report.errors == (
        issue(
            "Account__c",
            "REQUIRED_FIELD_MISSING",
            "Required fields are missing: [Account__c]",
            None,
            hint="Account__c cannot be empty; send a value or leave it out",
        ),
        issue(
            "Paid__c",
            "REQUIRED_FIELD_MISSING",
            "Required fields are missing: [Paid__c]",
            None,
            hint="Paid__c cannot be empty; send a value or leave it out",
        ),
    )
    cleared = validate_update(demo, "Invoice__c", INVOICE, {"Due_Date__c": None})
    assert cleared.ok and cleared.payload == {"Due_Date__c": None}


def test_null_for_a_required_field_on_create_is_reported_once(demo: OrgSchema) -> None:
    report = validate_create(demo, "Invoice__c", {"Account__c": None})
    assert report.errors == (
        issue(
            "Account__c",
            "REQUIRED_FIELD_MISSING",
            "Required fields are missing: [Account__c]",
            None,
            hint="Account__c cannot be empty; send a value or leave it out",
        ),
    )


def test_an_empty_string_is_null_for_a_field_that_cannot_be_empty(demo: OrgSchema) -> None:
    """Salesforce stores "" as null in text, picklist and reference fields."""
    empty = " (Salesforce stores an empty string as null)"

    def missing(field: str) -> ValidationIssue:
        return issue(
            field,
            "REQUIRED_FIELD_MISSING",
            f"Required fields are missing: [{field}]",
            "",
            hint=f"{field} cannot be empty{empty}; send a value or leave it out",
        )

    update = validate_update(demo, "Opportunity", OPP, {"Name": ""})
    assert (update.ok, update.payload, update.errors) == (False, {}, (missing("Name"),))
    create = validate_create(
        demo,
        "Opportunity",
        {"Name": "", "StageName": "", "CloseDate": "2024-01-31"},
    )
    assert create.errors == (missing("Name"), missing("StageName"))
    reference = validate_update(demo, "Invoice__c", INVOICE, {"Account__c": ""})
    assert reference.errors == (missing("Account__c"),)
    # A nillable text field: "" is passed through as sent (Salesforce clears the field).
    cleared = validate_update(demo, "Opportunity", OPP, {"Description": ""})
    assert (cleared.ok, cleared.payload, cleared.errors) == (True, {"Description": ""}, ())


def test_the_record_id_is_not_a_field_value(demo: OrgSchema) -> None:
    report = validate_update(demo, "Opportunity", OPP, {"Id": OPP, "Name": "x"})
    assert report.errors == (
        issue(
            "Id",
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            UNABLE.format("Id"),
            OPP,
            hint="remove Id from the values: the record id is not a field value "
            "(validate_update takes it as record_id)",
        ),
    )
