"""sObject Collections through the real simple-salesforce client (``sf.restful``): per-record
results in request order, allOrNone rollback, the 200-record cap, retrieve and upsert."""

from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from sfschema.emulator import Emulator
from tests.emulator.conftest import client

ROLLED_BACK = {
    "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "message": "Record rolled back because not all records were valid and the request was "
    "using AllOrNone header",
    "fields": [],
}
LAST_NAME_MISSING = {
    "statusCode": "REQUIRED_FIELD_MISSING",
    "message": "Required fields are missing: [LastName]",
    "fields": ["LastName"],
}
ID_ON_INSERT = {
    "statusCode": "INVALID_FIELD",
    "message": "cannot specify Id in an insert call",
    "fields": ["Id"],
}


def records(*rows: tuple[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"attributes": {"type": kind}, **values} for kind, values in rows]


MIXED = records(
    ("Account", {"Name": "A"}),
    ("Contact", {"FirstName": "x"}),
    ("Account", {"Id": "001000000000001AAA", "Name": "B"}),
)


def test_create_answers_each_record_in_order(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    answer = sf.restful(
        "composite/sobjects", method="POST", json={"allOrNone": False, "records": MIXED}
    )
    assert answer == [
        {"id": "001000000000004AAA", "success": True, "errors": []},
        {"success": False, "errors": [LAST_NAME_MISSING]},
        {"success": False, "errors": [ID_ON_INSERT]},
    ]
    assert [r.written for r in sf_emulator.requests] == [("001000000000004AAA",)]
    assert sf_emulator.api_calls == 1


def test_all_or_none_rolls_every_record_back(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    before = sf_emulator.org.records.all("Account")
    answer = sf.restful(
        "composite/sobjects", method="POST", json={"allOrNone": True, "records": MIXED}
    )
    assert answer == [
        {"success": False, "errors": [ROLLED_BACK]},
        {"success": False, "errors": [LAST_NAME_MISSING]},
        {"success": False, "errors": [ID_ON_INSERT]},
    ]
    assert sf_emulator.org.records.all("Account") == before
    assert [r.written for r in sf_emulator.requests] == [()]


def test_update_keeps_the_ids_sent(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    answer = sf.restful(
        "composite/sobjects",
        method="PATCH",
        json={
            "allOrNone": False,
            "records": records(
                ("Account", {"Id": "001000000000001AAA", "Name": "Z"}),
                ("Account", {"Id": "001bad", "Name": "Z"}),
                ("Account", {"Name": "Z"}),
            ),
        },
    )
    assert answer == [
        {"id": "001000000000001AAA", "success": True, "errors": []},
        {
            "id": "001bad",
            "success": False,
            "errors": [
                {
                    "statusCode": "MALFORMED_ID",
                    "message": "Account ID: id value of incorrect type: 001bad",
                    "fields": ["Id"],
                }
            ],
        },
        {
            "success": False,
            "errors": [
                {
                    "statusCode": "MISSING_ARGUMENT",
                    "message": "Id not specified in an update call",
                    "fields": ["Id"],
                }
            ],
        },
    ]


def test_delete_then_retrieve(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    ids = "001000000000002AAA,001bad,001000000000099AAA,001000000000002AAA"
    assert sf.restful("composite/sobjects", method="DELETE", params={"ids": ids}) == [
        {"id": "001000000000002AAA", "success": True, "errors": []},
        {
            "id": "001bad",
            "success": False,
            "errors": [
                {"statusCode": "MALFORMED_ID", "message": "malformed id 001bad", "fields": []}
            ],
        },
        {
            "id": "001000000000099AAA",
            "success": False,
            "errors": [
                {
                    "statusCode": "INVALID_CROSS_REFERENCE_KEY",
                    "message": "invalid cross reference id",
                    "fields": [],
                }
            ],
        },
        {
            "id": "001000000000002AAA",
            "success": False,
            "errors": [
                {"statusCode": "ENTITY_IS_DELETED", "message": "entity is deleted", "fields": []}
            ],
        },
    ]
    url = "/services/data/v59.0/sobjects/Account/001000000000001AAA"
    wanted = {"ids": "001000000000001AAA,001000000000002AAA", "fields": "Id,Name"}
    assert sf.restful("composite/sobjects/Account", params=wanted) == [
        {
            "attributes": {"type": "Account", "url": url},
            "Id": "001000000000001AAA",
            "Name": "Acme Corporation",
        },
        None,
    ]
    posted = sf.restful(
        "composite/sobjects/Account",
        method="POST",
        json={"ids": ["001000000000001AAA"], "fields": ["Name"]},
    )
    assert posted == [{"attributes": {"type": "Account", "url": url}, "Name": "Acme Corporation"}]


def test_upsert_by_external_id_reports_created(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    answer = sf.restful(
        "composite/sobjects/Invoice__c/Invoice_Key__c",
        method="PATCH",
        json={
            "allOrNone": False,
            "records": records(
                ("Invoice__c", {"Invoice_Key__c": "ACME-2024-001", "Amount__c": 1}),
                ("Invoice__c", {"Invoice_Key__c": "NEW", "Account__c": "001000000000001AAA"}),
            ),
        },
    )
    assert answer == [
        {"id": "a0I000000000001EAA", "success": True, "errors": [], "created": False},
        {"id": "a0I000000000003EAA", "success": True, "errors": [], "created": True},
    ]


def test_more_than_200_records_is_one_400(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.restful(
            "composite/sobjects",
            method="POST",
            json={"records": records(*[("Account", {"Name": "A"})] * 201)},
        )
    assert refused.value.content == [
        {
            "message": "record limit reached. cannot submit more than 200 records into this call",
            "errorCode": "EXCEEDED_ID_LIMIT",
        }
    ]
    assert sf_emulator.org.records.all("Account") == Emulator.demo().org.records.all("Account")
