"""sObject Rows through the real simple-salesforce client: create, retrieve, update, delete and
upsert by external id, with system fields, defaults, auto-numbers and the server-side rules."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound

from sfschema.demo import demo_org_dir
from sfschema.emulator import READONLY_USER, Emulator
from tests.emulator.conftest import bearer, client

V = "/services/data/v59.0"
NOW = datetime(2025, 1, 31, 9, 30, tzinfo=UTC)
STAMP = "2025-01-31T09:30:00.000+0000"
USER = "0050000000000G9AAI"
ACME = "001000000000001AAA"


@pytest.fixture
def emu() -> Emulator:
    emulator = Emulator.demo()
    emulator.clock.set(NOW)
    return emulator


def raw(emu: Emulator, method: str, path: str, body: Any = None, version: str = V) -> Any:
    reply = emu.session().request(
        method, f"{emu.instance_url}{version}/{path}", json=body, headers=bearer(emu.access_token)
    )
    return reply.status_code, (reply.json() if reply.content else None), reply.headers


def test_create_sets_system_fields_defaults_and_auto_number(emu: Emulator) -> None:
    sf = client(emu)
    created = sf.Invoice__c.create(
        {"Account__c": ACME, "Amount__c": 100.456, "Region__c": "EMEA", "Country__c": "Germany"}
    )
    assert created == {"id": "a0I000000000003EAA", "success": True, "errors": []}
    fields = "Name,Status__c,Amount__c,Paid__c,OwnerId,CreatedDate,IsDeleted"
    assert sf.Invoice__c.get("a0I000000000003EAA", params={"fields": fields}) == {
        "attributes": {"type": "Invoice__c", "url": f"{V}/sobjects/Invoice__c/a0I000000000003EAA"},
        "OwnerId": USER,
        "IsDeleted": False,
        "Name": "INV-0003",  # after the seeds' INV-0001 and INV-0002
        "CreatedDate": STAMP,
        "Amount__c": 100.46,  # rounded half up to the field's scale of 2
        "Status__c": "Draft",  # the picklist's default entry
        "Paid__c": False,
    }
    row = emu.org.records.get("Invoice__c", "a0I000000000003EAA")
    assert row is not None
    assert {key: row[key] for key in ("CreatedById", "LastModifiedById", "SystemModstamp")} == {
        "CreatedById": USER,
        "LastModifiedById": USER,
        "SystemModstamp": STAMP,
    }


def test_create_answers_201_with_location(emu: Emulator) -> None:
    status, body, headers = raw(emu, "POST", "sobjects/Account", {"Name": "Initech"})
    assert (status, body, headers["Location"]) == (
        201,
        {"id": "001000000000004AAA", "success": True, "errors": []},
        f"{V}/sobjects/Account/001000000000004AAA",
    )


def test_every_problem_of_a_create_is_answered_with_its_field(emu: Emulator) -> None:
    bad = {
        "Nope__c": 1,
        "Total__c": 5,
        "Name": "x",
        "Status__c": "Lost",
        "Invoice_Key__c": "k" * 41,
        "Amount__c": 1e15,
        "Opportunity__c": "bad",
        "Tax_Rate__c": "ten",
        "Billing_Email__c": 7,
        "Due_Date__c": "31/01/2025",
        "Region__c": "EMEA",
        "Country__c": "Japan",
        "Payment_Method__c": "Card",
    }
    writable = (
        "Please check the security settings of this field and verify that it is read/write "
        "for your profile or permission set."
    )
    status, body, _ = raw(emu, "POST", "sobjects/Invoice__c", bad)
    assert (status, body) == (
        400,
        [
            {
                "message": "No such column 'Nope__c' on sobject of type Invoice__c",
                "errorCode": "INVALID_FIELD",
                "fields": ["Nope__c"],
            },
            {
                "message": f"Unable to create/update fields: Total__c. {writable}",
                "errorCode": "INVALID_FIELD_FOR_INSERT_UPDATE",
                "fields": ["Total__c"],
            },
            {
                "message": f"Unable to create/update fields: Name. {writable}",
                "errorCode": "INVALID_FIELD_FOR_INSERT_UPDATE",
                "fields": ["Name"],
            },
            {
                "message": f"Invoice Key: data value too large: {'k' * 41} (max length=40)",
                "errorCode": "STRING_TOO_LONG",
                "fields": ["Invoice_Key__c"],
            },
            {
                "message": "Amount: value outside of valid range on numeric field: "
                "1000000000000000",
                "errorCode": "NUMBER_OUTSIDE_VALID_RANGE",
                "fields": ["Amount__c"],
            },
            {
                "message": "Opportunity: id value of incorrect type: bad",
                "errorCode": "MALFORMED_ID",
                "fields": ["Opportunity__c"],
            },
            {
                "message": "Tax Rate: value not of required type: ten",
                "errorCode": "INVALID_TYPE_ON_FIELD_IN_RECORD",
                "fields": ["Tax_Rate__c"],
            },
            {
                "message": "Billing Email: value not of required type: 7",
                "errorCode": "INVALID_TYPE_ON_FIELD_IN_RECORD",
                "fields": ["Billing_Email__c"],
            },
            {
                "message": "Due Date: value not of required type: 31/01/2025",
                "errorCode": "INVALID_TYPE_ON_FIELD_IN_RECORD",
                "fields": ["Due_Date__c"],
            },
            {
                "message": "Status: bad value for restricted picklist field: Lost",
                "errorCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                "fields": ["Status__c"],
            },
            {
                "message": "field integrity exception: Country: Japan is not valid when Region "
                "is EMEA",
                "errorCode": "FIELD_INTEGRITY_EXCEPTION",
                "fields": ["Country__c"],
            },
            {
                # Paid__c left out defaults to false, which allows only Pending
                "message": "Payment Method: bad value for restricted picklist field: Card",
                "errorCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                "fields": ["Payment_Method__c"],
            },
            {
                "message": "Required fields are missing: [Account__c]",
                "errorCode": "REQUIRED_FIELD_MISSING",
                "fields": ["Account__c"],
            },
        ],
    )
    assert emu.org.records.all("Invoice__c") == [
        row for row in emu.org.records.all("Invoice__c") if row["Name"] in ("INV-0001", "INV-0002")
    ]


@pytest.mark.parametrize(
    ("account", "expected"),
    [
        (
            "003000000000001AAA",
            {
                "message": "Account: id value of incorrect type: 003000000000001AAA",
                "errorCode": "FIELD_INTEGRITY_EXCEPTION",
                "fields": ["Account__c"],
            },
        ),
        (
            "001000000000099AAA",
            {
                "message": "invalid cross reference id",
                "errorCode": "INVALID_CROSS_REFERENCE_KEY",
                "fields": ["Account__c"],
            },
        ),
    ],
)
def test_a_reference_must_name_a_live_record_of_a_target(
    emu: Emulator, account: str, expected: dict[str, Any]
) -> None:
    assert raw(emu, "POST", "sobjects/Invoice__c", {"Account__c": account})[:2] == (400, [expected])


def test_record_type_subsets_apply_and_open_picklists_take_new_values(emu: Emulator) -> None:
    new_business = "0120000000001IfAAI"
    base = {"Name": "Big deal", "CloseDate": "2025-03-01", "StageName": "Prospecting"}
    status, body, _ = raw(
        emu,
        "POST",
        "sobjects/Opportunity",
        {**base, "RecordTypeId": new_business, "Type": "Existing Customer - Upgrade"},
    )
    # Type is an open picklist: a value outside the record type's subset is stored (no error)
    assert (status, body["success"]) == (201, True)
    status, body, _ = raw(
        emu,
        "POST",
        "sobjects/Opportunity",
        {**base, "RecordTypeId": new_business, "ForecastCategoryName": "Omitted"},
    )
    assert (status, body["success"]) == (201, True)
    status, body, _ = raw(
        emu, "POST", "sobjects/Opportunity", {**base, "RecordTypeId": "012000000000009AAA"}
    )
    assert (status, body) == (
        400,
        [
            {
                "message": "Record Type ID: this ID value isn't valid for the user: "
                "012000000000009AAA",
                "errorCode": "INVALID_CROSS_REFERENCE_KEY",
                "fields": ["RecordTypeId"],
            }
        ],
    )


def test_update_then_delete_then_entity_is_deleted(emu: Emulator) -> None:
    sf = client(emu)
    new_id = sf.Account.create({"Name": "Initech"})["id"]
    emu.clock.advance(timedelta(minutes=5))
    assert sf.Account.update(new_id, {"Name": "Initech Corp", "Phone": "555"}) == 204
    row = emu.org.records.get("Account", new_id)
    assert row is not None
    assert (row["Name"], row["Phone"], row["CreatedDate"], row["LastModifiedDate"]) == (
        "Initech Corp",
        "555",
        STAMP,
        "2025-01-31T09:35:00.000+0000",
    )
    assert sf.Account.delete(new_id) == 204
    assert [r["Id"] for r in emu.org.records.all("Account", include_deleted=True)][-1] == new_id
    assert new_id not in [r["Id"] for r in emu.org.records.all("Account")]
    assert raw(emu, "PATCH", f"sobjects/Account/{new_id}", {"Name": "x"})[:2] == (
        404,
        [{"message": "entity is deleted", "errorCode": "ENTITY_IS_DELETED", "fields": []}],
    )
    with pytest.raises(SalesforceResourceNotFound):
        sf.Account.get(new_id)
    assert [(r.method, r.status, r.api_calls, r.written) for r in emu.requests] == [
        ("POST", 201, 1, (new_id,)),
        ("PATCH", 204, 1, (new_id,)),
        ("DELETE", 204, 1, (new_id,)),
        ("PATCH", 404, 1, ()),
        ("GET", 404, 1, ()),
    ]


def test_update_problems(emu: Emulator) -> None:
    assert raw(emu, "PATCH", "sobjects/Account/003000000000001AAA", {"Name": "x"})[:2] == (
        400,
        [
            {
                "message": "Account ID: id value of incorrect type: 003000000000001AAA",
                "errorCode": "MALFORMED_ID",
                "fields": ["Id"],
            }
        ],
    )
    assert raw(emu, "PATCH", f"sobjects/Account/{ACME}", {"Name": None, "CreatedDate": "x"})[
        :2
    ] == (
        400,
        [
            {
                "message": "Required fields are missing: [Name]",
                "errorCode": "REQUIRED_FIELD_MISSING",
                "fields": ["Name"],
            },
            {
                "message": "Unable to create/update fields: CreatedDate. Please check the security "
                "settings of this field and verify that it is read/write for your profile or "
                "permission set.",
                "errorCode": "INVALID_FIELD_FOR_INSERT_UPDATE",
                "fields": ["CreatedDate"],
            },
        ],
    )
    assert raw(emu, "PATCH", "sobjects/Account/001000000000077AAA", {"Name": "x"})[:2] == (
        404,
        [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}],
    )


def test_the_calling_users_permissions_and_field_level_security(emu: Emulator) -> None:
    readonly = client(emu, emu.token_for(READONLY_USER))
    with pytest.raises(SalesforceMalformedRequest) as refused:
        readonly.Account.create({"Name": "x"})
    assert refused.value.content == [
        {
            "message": "entity type cannot be inserted: Account",
            "errorCode": "INSUFFICIENT_ACCESS_OR_READONLY",
        }
    ]
    assert readonly.Account.get(ACME, params={"fields": "Name"})["Name"] == "Acme Corporation"
    with pytest.raises(SalesforceMalformedRequest) as hidden:
        readonly.Account.get(ACME, params={"fields": "AnnualRevenue"})
    assert hidden.value.content == [
        {
            "message": "No such column 'AnnualRevenue' on sobject of type Account",
            "errorCode": "INVALID_FIELD",
        }
    ]


def test_upsert_by_external_id_creates_updates_and_refuses_ambiguity(emu: Emulator) -> None:
    sf = client(emu)
    assert raw(emu, "PATCH", "sobjects/Invoice__c/Invoice_Key__c/NEW-1", {"Account__c": ACME})[
        :2
    ] == (
        201,
        {"id": "a0I000000000003EAA", "success": True, "errors": [], "created": True},
    )
    assert raw(emu, "PATCH", "sobjects/Invoice__c/Invoice_Key__c/new-1", {"Amount__c": 7})[:2] == (
        200,
        {"id": "a0I000000000003EAA", "success": True, "errors": [], "created": False},
    )
    assert sf.Invoice__c.upsert("Invoice_Key__c/NEW-1", {"Amount__c": 8}) == 200
    old = "/services/data/v45.0"
    assert raw(emu, "PATCH", "sobjects/Invoice__c/Invoice_Key__c/NEW-1", {"Amount__c": 9}, old)[
        :2
    ] == (204, None)
    row = emu.org.records.get("Invoice__c", "a0I000000000003EAA")
    assert row is not None and (row["Invoice_Key__c"], row["Amount__c"]) == ("NEW-1", 9.0)
    emu.org.writer.update(
        emu.org.tokens.users[0], "Invoice__c", "a0I000000000002EAA", {"Invoice_Key__c": "NEW-1"}
    )
    assert raw(emu, "PATCH", "sobjects/Invoice__c/Invoice_Key__c/NEW-1", {"Amount__c": 1})[:2] == (
        300,
        [
            f"{V}/sobjects/Invoice__c/a0I000000000002EAA",
            f"{V}/sobjects/Invoice__c/a0I000000000003EAA",
        ],
    )
    assert raw(emu, "PATCH", "sobjects/Invoice__c/Namez/x", {})[:2] == (
        404,
        [
            {
                "message": "Provided external ID field does not exist or is not accessible: Namez",
                "errorCode": "NOT_FOUND",
            }
        ],
    )
    assert sf.Invoice__c.get_by_custom_id("Invoice_Key__c", "ACME-2024-001")["Id"] == (
        "a0I000000000001EAA"
    )


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b'{"Name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
        (b'{"Name": ' + b"[" * 100 + b"]" * 100 + b"}", "nested too deeply"),
        (b'{"NumberOfEmployees": ' + b"9" * 5000 + b"}", "a number has too many digits"),
        (b'{"Name": "x"', "Expecting ',' delimiter"),
    ],
)
def test_hostile_bodies_are_one_json_parser_error(emu: Emulator, body: bytes, detail: str) -> None:
    reply = emu.session().post(
        f"{emu.instance_url}{V}/sobjects/Account",
        data=body,
        headers={**bearer(emu.access_token), "Content-Type": "application/json"},
    )
    [error] = reply.json()
    assert (reply.status_code, error["errorCode"]) == (400, "JSON_PARSER_ERROR")
    assert error["message"].startswith("Invalid JSON in request body: ")
    assert detail in error["message"]


def test_a_restricted_value_outside_the_record_types_subset_is_refused(tmp_path: Path) -> None:
    org = tmp_path / "org"
    shutil.copytree(demo_org_dir(), org)
    renewal = org / "picklists" / "Opportunity" / "0120000000001IgAAI.json"
    payload = json.loads(renewal.read_text(encoding="utf-8"))
    spec = payload["picklistFieldValues"]["ForecastCategoryName"]
    spec["values"] = [v for v in spec["values"] if v["value"] != "Commit"]
    renewal.write_text(json.dumps(payload), encoding="utf-8")
    emu = Emulator.from_snapshot(org)
    base = {"Name": "Renewal", "CloseDate": "2025-03-01", "StageName": "Closed Won"}
    refused = {**base, "RecordTypeId": "0120000000001IgAAI", "ForecastCategoryName": "Commit"}
    assert raw(emu, "POST", "sobjects/Opportunity", refused)[:2] == (
        400,
        [
            {
                "message": "Forecast Category: bad value for restricted picklist field: Commit",
                "errorCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                "fields": ["ForecastCategoryName"],
            }
        ],
    )
    other_type = {**refused, "RecordTypeId": "0120000000001IfAAI"}
    assert raw(emu, "POST", "sobjects/Opportunity", other_type)[0] == 201
