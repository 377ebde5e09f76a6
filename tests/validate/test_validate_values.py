"""Values: ids (shape, checksum, key prefix), numbers, text length, dates, datetimes, booleans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from sfschema.ids import make_id, to15
from sfschema.schema import OrgSchema
from sfschema.validate import ValidationIssue, validate_create, validate_update

OPP = make_id("006", 1)
ACCOUNT = make_id("001", 2)
CONTACT = make_id("003", 7)
LEAD = make_id("00Q", 3)
WHAT_TARGETS = (
    "'Account', 'ApptBundleAggrDurDnscale', 'ApptBundleAggrPolicy', 'ApptBundleConfig', "
    "'ApptBundlePolicy', 'ApptBundlePolicySvcTerr', 'ApptBundlePropagatePolicy', "
    "'ApptBundleRestrictPolicy', 'ApptBundleSortPolicy', 'Asset', 'AssetRelationship', "
    "'AssetWarranty' and 69 more"
)


@pytest.fixture(scope="module")
def demo() -> OrgSchema:
    return OrgSchema.demo()


def issue(
    field: str, code: str, message: str, value: Any, suggestion: str | None = None, hint: Any = None
) -> ValidationIssue:
    return ValidationIssue(field, code, message, value, suggestion, hint)


def test_polymorphic_ids_follow_reference_to(demo: OrgSchema) -> None:
    ok = validate_create(demo, "Task", {"WhatId": to15(OPP), "WhoId": CONTACT.lower()})
    assert ok.ok and ok.payload == {"WhoId": CONTACT, "WhatId": OPP}
    lead = validate_create(demo, "Task", {"WhoId": to15(LEAD)})
    assert lead.ok and lead.payload == {"WhoId": LEAD}
    swapped = validate_create(demo, "Task", {"WhatId": CONTACT, "WhoId": to15(OPP)})
    assert swapped.errors == (
        issue(
            "WhoId",
            "FIELD_INTEGRITY_EXCEPTION",
            f"Name ID: id value of incorrect type: {to15(OPP)}",
            to15(OPP),
            hint=f"{to15(OPP)} is an Opportunity id; WhoId takes ids of 'Contact', 'Lead'",
        ),
        issue(
            "WhatId",
            "FIELD_INTEGRITY_EXCEPTION",
            f"Related To ID: id value of incorrect type: {CONTACT}",
            CONTACT,
            hint=f"{CONTACT} is a Contact id; WhatId takes ids of {WHAT_TARGETS}",
        ),
    )


def test_malformed_ids(demo: OrgSchema) -> None:
    bad_checksum = ACCOUNT[:15] + "AAB"
    report = validate_update(
        demo, "Opportunity", OPP, {"AccountId": bad_checksum, "Pricebook2Id": "x", "CampaignId": 7}
    )
    assert report.errors == (
        issue(
            "AccountId",
            "MALFORMED_ID",
            f"Account ID: id value of incorrect type: {bad_checksum}",
            bad_checksum,
            hint=f"'{bad_checksum}': checksum suffix 'AAB' does not match the id (expected 'AAA' "
            f"for '{ACCOUNT[:15]}')",
        ),
        issue(
            "CampaignId",
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            "Campaign ID: value not of required type: 7",
            7,
            hint="send a record id (15 or 18 characters)",
        ),
        issue(
            "Pricebook2Id",
            "MALFORMED_ID",
            "Price Book ID: id value of incorrect type: x",
            "x",
            hint="'x' is not a Salesforce id: expected 15 or 18 letters and digits",
        ),
    )


def test_record_id_of_an_update_must_be_an_id_of_that_object(demo: OrgSchema) -> None:
    wrong_object = validate_update(demo, "Opportunity", ACCOUNT, {"Name": "x"})
    assert wrong_object.errors == (
        issue(
            "Id",
            "MALFORMED_ID",
            f"Opportunity ID: id value of incorrect type: {ACCOUNT}",
            ACCOUNT,
            hint="Opportunity ids start with '006'; this one starts with '001'",
        ),
    )
    assert wrong_object.record_id is None and wrong_object.payload == {}
    not_text = validate_update(demo, "Opportunity", 12, {})  # type: ignore[arg-type]
    assert [e.hint for e in not_text.errors] == ["id must be a string, got int"]
    fifteen = validate_update(demo, "Opportunity", to15(OPP), {"Name": "x"})
    assert fifteen.ok and fifteen.record_id == OPP and fifteen.payload == {"Name": "x"}


def test_numbers_left_digits_are_precision_minus_scale(demo: OrgSchema) -> None:
    report = validate_update(
        demo,
        "Opportunity",
        OPP,
        {"Amount": Decimal("12345678901234567.5"), "Probability": 1000, "Name": "n"},
    )
    assert report.errors == (
        issue(
            "Amount",
            "NUMBER_OUTSIDE_VALID_RANGE",
            "Amount: value outside of valid range on numeric field: 12345678901234567.5",
            Decimal("12345678901234567.5"),
            hint="at most 16 digits before the decimal point",
        ),
        issue(
            "Probability",
            "NUMBER_OUTSIDE_VALID_RANGE",
            "Probability (%): value outside of valid range on numeric field: 1000",
            1000,
            hint="at most 3 digits before the decimal point",
        ),
    )
    ok = validate_update(
        demo,
        "Opportunity",
        OPP,
        {"Amount": "1234.5", "Probability": 999, "TotalOpportunityQuantity": 2.25},
    )
    assert ok.ok and ok.payload == {
        "Amount": 1234.5,
        "Probability": 999,
        "TotalOpportunityQuantity": 2.25,
    }
    assert validate_create(
        demo, "Invoice__c", {"Account__c": ACCOUNT, "Tax_Rate__c": 1000}
    ).errors == (
        issue(
            "Tax_Rate__c",
            "NUMBER_OUTSIDE_VALID_RANGE",
            "Tax Rate: value outside of valid range on numeric field: 1000",
            1000,
            hint="at most 3 digits before the decimal point",
        ),
    )


def test_integer_digits_and_float_in_an_int_field(real_schema: OrgSchema, demo: OrgSchema) -> None:
    report = validate_update(
        real_schema, "Account", ACCOUNT, {"NumberOfEmployees": 123456789, "Name": "x"}
    )
    assert report.errors == (
        issue(
            "NumberOfEmployees",
            "NUMBER_OUTSIDE_VALID_RANGE",
            "Employees: value outside of valid range on numeric field: 123456789",
            123456789,
            hint="at most 8 digits",
        ),
    )
    assert validate_create(demo, "Task", {"CallDurationInSeconds": 1.5}).errors == (
        issue(
            "CallDurationInSeconds",
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            "Call Duration: value not of required type: 1.5",
            1.5,
            hint="send a whole number",
        ),
    )


def test_string_too_long_counts_characters(demo: OrgSchema) -> None:
    report = validate_update(demo, "Opportunity", OPP, {"Name": "é" * 121})
    assert report.errors == (
        issue(
            "Name",
            "STRING_TOO_LONG",
            f"Name: data value too large: {'é' * 121} (max length=120)",
            "é" * 121,
            hint="at most 120 characters; this value has 121",
        ),
    )
    assert validate_update(demo, "Opportunity", OPP, {"Name": "é" * 120}).ok


def test_dates(demo: OrgSchema) -> None:
    ok = validate_create(demo, "Task", {"ActivityDate": dt.date(2024, 2, 29)})
    assert ok.ok and ok.payload == {"ActivityDate": "2024-02-29"}
    assert validate_create(demo, "Task", {"ActivityDate": "2024-02-29"}).payload == {
        "ActivityDate": "2024-02-29"
    }
    bad = [
        ("31/01/2024", "31/01/2024"),
        ("2023-02-29", "2023-02-29"),
        (dt.datetime(2024, 2, 29, 10, 0), "2024-02-29 10:00:00"),
        ("2024-02-29T10:00:00Z", "2024-02-29T10:00:00Z"),
    ]
    for value, shown in bad:
        report = validate_create(demo, "Task", {"ActivityDate": value})
        assert report.errors == (
            issue(
                "ActivityDate",
                "INVALID_TYPE_ON_FIELD_IN_RECORD",
                f"Due Date Only: value not of required type: {shown}",
                value,
                hint="send a date as YYYY-MM-DD (or a date object)",
            ),
        )


def test_datetimes_must_be_timezone_aware(demo: OrgSchema) -> None:
    eastern = dt.timezone(dt.timedelta(hours=-5))
    for value in ("2024-01-31T10:00:00-05:00", dt.datetime(2024, 1, 31, 10, tzinfo=eastern)):
        report = validate_create(demo, "Task", {"ReminderDateTime": value})
        assert report.ok and report.payload == {"ReminderDateTime": "2024-01-31T15:00:00.000Z"}
    naive_hint = "add a time zone (naive datetimes are not guessed), e.g. 2024-01-31T09:30:00Z"
    cases = [
        ("2024-01-31T10:00:00", "2024-01-31T10:00:00", naive_hint),
        (dt.datetime(2024, 1, 31, 10), "2024-01-31 10:00:00", naive_hint),
        ("2024-01-31", "2024-01-31", "send a timezone-aware datetime, e.g. 2024-01-31T09:30:00Z"),
    ]
    for sent, shown, hint in cases:
        report = validate_create(demo, "Task", {"ReminderDateTime": sent})
        assert report.errors == (
            issue(
                "ReminderDateTime",
                "INVALID_TYPE_ON_FIELD_IN_RECORD",
                f"Reminder Date/Time: value not of required type: {shown}",
                sent,
                hint=hint,
            ),
        )


def test_booleans_are_true_or_false_only(demo: OrgSchema) -> None:
    assert validate_create(demo, "Task", {"IsReminderSet": False}).payload == {
        "IsReminderSet": False
    }
    for value, shown in (("true", "true"), (1, "1"), ("yes", "yes"), (0, "0")):
        report = validate_create(demo, "Task", {"IsReminderSet": value})
        assert report.errors == (
            issue(
                "IsReminderSet",
                "INVALID_TYPE_ON_FIELD_IN_RECORD",
                f"Reminder Set: value not of required type: {shown}",
                value,
                hint="send a checkbox as JSON true or false",
            ),
        )


def test_every_problem_is_collected_in_describe_order(demo: OrgSchema) -> None:
    report = validate_update(
        demo,
        "Opportunity",
        OPP,
        {
            "CloseDate": "2024-02-30",
            "IsPrivate": "true",
            "Amount": True,
            "Stagename": None,
            "Bogus": 1,
        },
    )
    assert [(e.field, e.code) for e in report.errors] == [
        ("Bogus", "INVALID_FIELD"),
        ("IsPrivate", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        ("StageName", "REQUIRED_FIELD_MISSING"),
        ("Amount", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        ("CloseDate", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    ]


NO_UTC_FORM = (
    "this time has no UTC form (converted to UTC it falls before the year 1 or after 9999); "
    "send a time within the years 1 to 9999"
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        # Year 1 at UTC+2 is an aware datetime whose UTC form does not exist.
        (
            dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "0001-01-01 00:00:00+02:00",
        ),
        ("0001-01-01T01:59:59+02:00", "0001-01-01T01:59:59+02:00"),
        ("9999-12-31T23:00:00-01:00", "9999-12-31T23:00:00-01:00"),
    ],
)
def test_a_datetime_without_a_utc_form_is_refused_by_its_type(
    demo: OrgSchema, value: Any, shown: str
) -> None:
    for report in (
        validate_create(demo, "Task", {"ReminderDateTime": value, "Subject": "x"}),
        validate_update(demo, "Task", make_id("00T", 1), {"ReminderDateTime": value}),
    ):
        assert report.errors == (
            issue(
                "ReminderDateTime",
                "INVALID_TYPE_ON_FIELD_IN_RECORD",
                f"Reminder Date/Time: value not of required type: {shown}",
                value,
                hint=NO_UTC_FORM,
            ),
        )
        assert report.payload == {}


def test_the_first_and_last_sendable_instants_are_accepted(demo: OrgSchema) -> None:
    report = validate_create(
        demo,
        "Event",
        {
            "StartDateTime": "0001-01-01T02:00:00+02:00",
            "EndDateTime": "9999-12-31T22:59:59.999-01:00",
        },
    )
    assert (report.payload["StartDateTime"], report.payload["EndDateTime"]) == (
        "0001-01-01T00:00:00.000Z",
        "9999-12-31T23:59:59.999Z",
    )
