"""Picklists: restricted, open (strict), record-type subsets, dependencies, multi-select."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sfschema.ids import make_id, to15
from sfschema.schema import OrgSchema
from sfschema.validate import ValidationIssue, validate_create, validate_update

OPP = make_id("006", 1)
ACCOUNT = make_id("001", 2)
INVOICE = make_id("a0I", 1)
NEW_BUSINESS = "0120000000001IfAAI"
RENEWAL = "0120000000001IgAAI"
STAGES = (
    "'Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', "
    "'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', "
    "'Negotiation/Review', 'Closed Won', 'Closed Lost'"
)
NEW_BUSINESS_STAGES = (
    "'Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote', "
    "'Negotiation/Review', 'Closed Won', 'Closed Lost'"
)


@pytest.fixture(scope="module")
def demo() -> OrgSchema:
    return OrgSchema.demo()


def issue(
    field: str, code: str, message: str, value: Any, suggestion: str | None = None, hint: Any = None
) -> ValidationIssue:
    return ValidationIssue(field, code, message, value, suggestion, hint)


def test_restricted_picklist_suggests_case_and_spacing_fix(demo: OrgSchema) -> None:
    report = validate_update(
        demo, "Opportunity", OPP, {"ForecastCategoryName": "best  case", "Name": "x"}
    )
    assert report.errors == (
        issue(
            "ForecastCategoryName",
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "Forecast Category: bad value for restricted picklist field: best  case",
            "best  case",
            "Best Case",
            "allowed values: 'Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'",
        ),
    )
    assert validate_update(demo, "Opportunity", OPP, {"ForecastCategoryName": "Best Case"}).ok


def test_open_picklist_unknown_value_warns_and_strict_makes_it_an_error(demo: OrgSchema) -> None:
    expected = issue(
        "StageName",
        "UNKNOWN_PICKLIST_VALUE",
        "Stage: value not in the picklist's known values: closed won",
        "closed won",
        "Closed Won",
        f"allowed values: {STAGES}",
    )
    lenient = validate_update(demo, "Opportunity", OPP, {"StageName": "closed won"})
    assert lenient.ok and lenient.errors == () and lenient.warnings == (expected,)
    assert lenient.payload == {"StageName": "closed won"}
    strict = validate_update(demo, "Opportunity", OPP, {"StageName": "closed won"}, strict=True)
    assert not strict.ok and strict.errors == (expected,) and strict.warnings == ()
    assert strict.payload == {}


def test_combobox_takes_any_text(demo: OrgSchema) -> None:
    report = validate_create(demo, "Task", {"Subject": "Call back about the renewal quote"})
    assert report.ok and report.warnings == ()
    assert report.payload == {"Subject": "Call back about the renewal quote"}
    strict = validate_create(demo, "Task", {"Subject": "Anything"}, strict=True)
    assert strict.ok and strict.warnings == ()


def test_record_type_subset_open_picklist(demo: OrgSchema) -> None:
    values = {
        "Name": "n",
        "CloseDate": dt.date(2024, 1, 31),
        "StageName": "Perception Analysis",
        "Type": "Existing Customer - Upgrade",
    }
    expected = (
        issue(
            "StageName",
            "PICKLIST_VALUE_NOT_IN_RECORD_TYPE",
            "Stage: value not available for record type New_Business: Perception Analysis",
            "Perception Analysis",
            hint=f"allowed values for record type New_Business: {NEW_BUSINESS_STAGES}",
        ),
        issue(
            "Type",
            "PICKLIST_VALUE_NOT_IN_RECORD_TYPE",
            "Opportunity Type: value not available for record type New_Business: "
            "Existing Customer - Upgrade",
            "Existing Customer - Upgrade",
            hint="allowed values for record type New_Business: 'New Customer'",
        ),
    )
    lenient = validate_create(demo, "Opportunity", values, record_type_id="New_Business")
    assert lenient.ok and lenient.warnings == expected
    assert lenient.record_type_id == NEW_BUSINESS
    assert lenient.payload == {
        "Name": "n",
        "StageName": "Perception Analysis",
        "CloseDate": "2024-01-31",
        "Type": "Existing Customer - Upgrade",
        "RecordTypeId": NEW_BUSINESS,
    }
    strict = validate_create(
        demo, "Opportunity", values, record_type_id="New_Business", strict=True
    )
    assert strict.errors == expected and strict.warnings == () and strict.payload == {}
    # The same values fit the Renewal record type.
    renewal = validate_create(demo, "Opportunity", values, record_type_id="Renewal", strict=True)
    assert renewal.ok and renewal.warnings == ()
    assert renewal.payload["RecordTypeId"] == RENEWAL


def test_record_type_subset_restricted_picklist_is_always_an_error(real_schema: OrgSchema) -> None:
    values = {"Name": "A", "Industry": "Apparel", "CleanStatus": "Different"}
    report = validate_create(real_schema, "Account", values, record_type_id="Household")
    assert report.errors == (
        issue(
            "CleanStatus",
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "Clean Status: bad value for restricted picklist field: Different",
            "Different",
            hint="allowed values for record type Household: 'Matched', 'Pending'",
        ),
    )
    assert report.warnings == (
        issue(
            "Industry",
            "PICKLIST_VALUE_NOT_IN_RECORD_TYPE",
            "Industry: value not available for record type Household: Apparel",
            "Apparel",
            hint="allowed values for record type Household: 'Banking', 'Consulting', 'Education'",
        ),
    )
    # Without a record type only the master list applies.
    assert validate_create(real_schema, "Account", values).ok


def test_record_type_given_by_id_name_or_payload(demo: OrgSchema) -> None:
    values = {"StageName": "Perception Analysis"}
    for record_type in (NEW_BUSINESS, to15(NEW_BUSINESS), "New Business", "New_Business"):
        report = validate_update(demo, "Opportunity", OPP, values, record_type_id=record_type)
        assert report.record_type_id == NEW_BUSINESS
        assert [w.code for w in report.warnings] == ["PICKLIST_VALUE_NOT_IN_RECORD_TYPE"]
        # An update does not add RecordTypeId: that would change the record's type.
        assert report.payload == values
    sent = validate_update(demo, "Opportunity", OPP, {**values, "RecordTypeId": RENEWAL})
    assert sent.ok and sent.warnings == () and sent.record_type_id == RENEWAL
    assert sent.payload == {"StageName": "Perception Analysis", "RecordTypeId": RENEWAL}


def test_payload_record_type_wins_over_the_argument(demo: OrgSchema) -> None:
    report = validate_update(
        demo,
        "Opportunity",
        OPP,
        {"RecordTypeId": to15(RENEWAL), "StageName": "Perception Analysis"},
        record_type_id="New_Business",
    )
    assert report.ok and report.record_type_id == RENEWAL
    assert report.warnings == (
        issue(
            "RecordTypeId",
            "RECORD_TYPE_OVERRIDDEN",
            f"Record Type ID: the payload sets {RENEWAL}; record_type_id {NEW_BUSINESS} is ignored",
            to15(RENEWAL),
            hint="drop one of the two, or make them agree",
        ),
    )
    assert report.payload == {"RecordTypeId": RENEWAL, "StageName": "Perception Analysis"}


def test_unknown_record_types(demo: OrgSchema) -> None:
    report = validate_update(
        demo, "Opportunity", OPP, {"StageName": "Prospecting"}, record_type_id="Renewl"
    )
    assert report.errors == (
        issue(
            "RecordTypeId",
            "INVALID_CROSS_REFERENCE_KEY",
            "Record Type ID: this ID value isn't valid for the user: Renewl",
            "Renewl",
            "Renewal",
            "Opportunity has no record type 'Renewl'; known: Master, New_Business, Renewal",
        ),
    )
    unknown_id = make_id("012", 99)
    sent = validate_update(demo, "Opportunity", OPP, {"RecordTypeId": unknown_id})
    assert sent.errors == (
        issue(
            "RecordTypeId",
            "INVALID_CROSS_REFERENCE_KEY",
            f"Record Type ID: this ID value isn't valid for the user: {unknown_id}",
            unknown_id,
            hint="Opportunity record types: Master 012000000000000AAA, New_Business "
            "0120000000001IfAAI, Renewal 0120000000001IgAAI",
        ),
    )


def test_dependent_picklists_against_their_controller(demo: OrgSchema) -> None:
    report = validate_create(
        demo,
        "Invoice__c",
        {
            "Account__c": ACCOUNT,
            "Region__c": "EMEA",
            "Country__c": "Japan",
            "Paid__c": False,
            "Payment_Method__c": "Card",
        },
    )
    assert report.errors == (
        issue(
            "Country__c",
            "FIELD_INTEGRITY_EXCEPTION",
            "field integrity exception: Country: Japan is not valid when Region is EMEA",
            "Japan",
            hint="with Region__c = EMEA the allowed values are: 'Germany', 'France', "
            "'United Kingdom', 'Other'",
        ),
        issue(
            "Payment_Method__c",
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "Payment Method: bad value for restricted picklist field: Card",
            "Card",
            hint="with Paid__c = false the allowed values are: 'Pending'",
        ),
    )
    good = validate_create(
        demo,
        "Invoice__c",
        {
            "Account__c": ACCOUNT,
            "Region__c": "APAC",
            "Country__c": "Japan",
            "Paid__c": True,
            "Payment_Method__c": "Card",
        },
    )
    assert good.ok and good.warnings == ()


def test_dependent_value_suggestion_and_empty_controller(demo: OrgSchema) -> None:
    report = validate_update(
        demo, "Invoice__c", INVOICE, {"Region__c": "EMEA", "Country__c": "germany"}
    )
    assert report.errors[0].suggestion == "Germany"
    cleared = validate_update(
        demo, "Invoice__c", INVOICE, {"Region__c": None, "Country__c": "Japan"}
    )
    assert cleared.errors == (
        issue(
            "Country__c",
            "FIELD_INTEGRITY_EXCEPTION",
            "field integrity exception: Country: Japan is not valid when Region is empty",
            "Japan",
            hint="with Region__c = empty the allowed values are: none",
        ),
    )


def test_dependent_without_its_controller_is_a_warning(demo: OrgSchema) -> None:
    report = validate_update(
        demo, "Invoice__c", INVOICE, {"Country__c": "Japan", "Payment_Method__c": "Card"}
    )
    assert report.ok
    assert report.warnings == (
        issue(
            "Country__c",
            "DEPENDENT_PICKLIST_UNCHECKED",
            "Country: depends on Region__c, which is not in the payload; the value Japan cannot "
            "be checked",
            "Japan",
            hint="send Region__c too, so the pair can be checked",
        ),
        issue(
            "Payment_Method__c",
            "DEPENDENT_PICKLIST_UNCHECKED",
            "Payment Method: depends on Paid__c, which is not in the payload; the value Card "
            "cannot be checked",
            "Card",
            hint="send Paid__c too, so the pair can be checked",
        ),
    )


def test_real_dependent_picklist_from_validfor_bits(real_schema: OrgSchema) -> None:
    report = validate_create(
        real_schema, "Whizbang", {"Picklist_Field": "two", "Dependent_Picklist_Field": "seven"}
    )
    assert report.errors == (
        issue(
            "Dependent_Picklist_Field",
            "FIELD_INTEGRITY_EXCEPTION",
            "field integrity exception: Dependent Picklist Label: seven is not valid when "
            "Picklist Label is two",
            "seven",
            hint="with Picklist_Field = two the allowed values are: 'nine'",
        ),
    )
    assert validate_create(
        real_schema, "Whizbang", {"Picklist_Field": "two", "Dependent_Picklist_Field": "nine"}
    ).ok


def test_restricted_multipicklist_checks_each_value(real_schema: OrgSchema) -> None:
    allowed = "'Residential', 'Nursing', 'Dementia', 'Respite', 'End of Life', 'Assisted'"
    report = validate_create(
        real_schema,
        "Property__c",
        {"Name": "Oak House", "Care_Types_Offered__c": "Nursing;bogus;dementia care"},
    )
    assert report.errors == (
        issue(
            "Care_Types_Offered__c",
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "Care Types Offered: bad value for restricted picklist field: bogus",
            "bogus",
            hint=f"allowed values: {allowed}",
        ),
        issue(
            "Care_Types_Offered__c",
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "Care Types Offered: bad value for restricted picklist field: dementia care",
            "dementia care",
            "Dementia",
            f"allowed values: {allowed}",
        ),
    )
    ok = validate_create(
        real_schema, "Property__c", {"Name": "Oak", "Care_Types_Offered__c": ["Nursing", "Respite"]}
    )
    assert ok.ok and ok.payload == {"Name": "Oak", "Care_Types_Offered__c": "Nursing;Respite"}


def test_open_multipicklist_warns_per_unknown_value(real_schema: OrgSchema) -> None:
    report = validate_create(
        real_schema, "Whizbang", {"Picklist_Multiselect_Field": ["four", "Five", "seven"]}
    )
    assert report.ok and report.payload == {"Picklist_Multiselect_Field": "four;Five;seven"}
    assert report.warnings == (
        issue(
            "Picklist_Multiselect_Field",
            "UNKNOWN_PICKLIST_VALUE",
            "Picklist Multiselect Label: value not in the picklist's known values: Five",
            "Five",
            "five",
            "allowed values: 'four', 'five', 'six'",
        ),
        issue(
            "Picklist_Multiselect_Field",
            "UNKNOWN_PICKLIST_VALUE",
            "Picklist Multiselect Label: value not in the picklist's known values: seven",
            "seven",
            hint="allowed values: 'four', 'five', 'six'",
        ),
    )
