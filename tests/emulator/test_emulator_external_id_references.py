"""References set by external id (``{"Account__r": {"Invoice_Key__c": "X-1"}}``) through the real
simple-salesforce client: the emulator looks the key up in the live records of the target and
stores the found record's id, or refuses the record as Salesforce does.

The demo org has idLookup and external id fields on Invoice__c (Invoice_Key__c, Name), Contact
(Email) and Opportunity (Name); Account has none, so the Account cases run on a copy of the demo
org whose Account.AccountNumber (text) and Account.NumberOfEmployees (int) are external ids.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from sfschema.demo import demo_org_dir
from sfschema.emulator import DEMO_USER, Emulator
from sfschema.ids import make_id
from sfschema.schema import OrgSchema
from sfschema.validate import validate_create
from tests.emulator.conftest import client

V = "/services/data/v59.0"
ACME = "001000000000001AAA"
GLOBEX = "001000000000002AAA"
ACME_INVOICE = "a0I000000000001EAA"  # Invoice_Key__c ACME-2024-001
NEW_LINE = "006000000000001AAA"  # Opportunity "Acme - New Line"
ADA = "003000000000001AAA"  # Contact ada@acme.example
NEW_INVOICE = "a0I000000000003EAA"
NEW_TASK = "00T000000000003EAA"


def refused(call: Any) -> tuple[int, Any]:
    """(status, error array) of a write the emulator refuses."""
    with pytest.raises(SalesforceMalformedRequest) as caught:
        call()
    return caught.value.status, caught.value.content


def error(code: str, message: str, *fields: str) -> dict[str, Any]:
    return {"message": message, "errorCode": code, "fields": list(fields)}


# -- found -----------------------------------------------------------------------------------------


def test_create_links_a_parent_by_its_idlookup_field() -> None:
    sf = client(Emulator.demo())
    created = sf.Invoice__c.create(
        {"Account__c": ACME, "Opportunity__r": {"Name": "acme - NEW LINE"}}  # text: any case
    )
    assert created == {"id": NEW_INVOICE, "success": True, "errors": []}
    assert sf.Invoice__c.get(NEW_INVOICE, params={"fields": "Account__c,Opportunity__c"}) == {
        "attributes": {"type": "Invoice__c", "url": f"{V}/sobjects/Invoice__c/{NEW_INVOICE}"},
        "Account__c": ACME,
        "Opportunity__c": NEW_LINE,
    }


def test_update_links_a_polymorphic_reference_by_external_id() -> None:
    sf = client(Emulator.demo())
    task = sf.Task.create({"Subject": "Chase payment"})
    assert task == {"id": NEW_TASK, "success": True, "errors": []}
    status = sf.Task.update(
        NEW_TASK,
        {
            "what": {"attributes": {"type": "invoice__c"}, "invoice_key__c": "acme-2024-001"},
            "Who": {"attributes": {"type": "Contact"}, "Email": "ADA@acme.example"},
        },
    )
    assert status == 204
    assert sf.Task.get(NEW_TASK, params={"fields": "Subject,WhoId,WhatId"}) == {
        "attributes": {"type": "Task", "url": f"{V}/sobjects/Task/{NEW_TASK}"},
        "WhoId": ADA,
        "WhatId": ACME_INVOICE,
        "Subject": "Chase payment",
    }
    found = sf.query(f"SELECT What.Name, Who.Name FROM Task WHERE Id = '{NEW_TASK}'")
    assert [(row["What"]["Name"], row["Who"]["Name"]) for row in found["records"]] == [
        ("INV-0001", "Ada Lovelace")
    ]


# -- not found, several, deleted ------------------------------------------------------------------


def test_an_external_id_no_live_record_has_is_not_found() -> None:
    emu = Emulator.demo()
    sf = client(emu)
    assert sf.Invoice__c.delete(ACME_INVOICE) == 204
    for key in ("ACME-2024-001", "NOPE-1"):  # deleted, never there
        status, errors = refused(
            lambda key=key: sf.Task.create(
                {
                    "Subject": "x",
                    "What": {"attributes": {"type": "Invoice__c"}, "Invoice_Key__c": key},
                }
            )
        )
        assert (status, errors) == (
            400,
            [
                error(
                    "INVALID_FIELD",
                    f"Foreign key external ID: {key} not found for field Invoice_Key__c in entity "
                    "Invoice__c",
                    "What",
                )
            ],
        )
    assert emu.org.records.all("Task")[-1]["Id"] == "00T000000000002EAA"  # nothing written


def test_an_external_id_several_records_have_is_refused() -> None:
    emu = Emulator.demo()
    sf = client(emu)
    twin = sf.Opportunity.create(
        {"Name": "Acme - New Line", "StageName": "Prospecting", "CloseDate": "2025-06-30"}
    )
    assert twin["success"] is True
    status, errors = refused(
        lambda: sf.Invoice__c.update(ACME_INVOICE, {"Opportunity__r": {"Name": "Acme - New Line"}})
    )
    assert (status, errors) == (
        400,
        [
            error(
                "DUPLICATE_EXTERNAL_ID",
                "Foreign key external ID: Acme - New Line matched more than one record",
                "Opportunity__r",
            )
        ],
    )
    row = emu.org.records.get("Invoice__c", ACME_INVOICE)
    assert row is not None and row["Opportunity__c"] == "006000000000003AAA"  # unchanged


# -- malformed -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (  # polymorphic without attributes.type
            {"Subject": "x", "What": {"Invoice_Key__c": "ACME-2024-001"}},
            error(
                "INVALID_FIELD",
                "The foreign key reference What can point to several object types; say which "
                'with "attributes": {"type": ...}',
                "What",
            ),
        ),
        (  # a field that is neither an external id nor idLookup
            {"Subject": "x", "What": {"attributes": {"type": "Invoice__c"}, "Amount__c": 5}},
            error(
                "INVALID_FIELD",
                "Field name provided, Amount__c is not an External ID or indexed field for "
                "Invoice__c",
                "What",
            ),
        ),
        (  # the record id is no external id
            {"Subject": "x", "What": {"attributes": {"type": "Invoice__c"}, "Id": ACME_INVOICE}},
            error(
                "INVALID_FIELD",
                "Field name provided, Id is not an External ID or indexed field for Invoice__c",
                "What",
            ),
        ),
        (  # a type the relationship cannot point to
            {"Subject": "x", "Who": {"attributes": {"type": "Account"}, "Name": "Acme"}},
            error(
                "INVALID_FIELD",
                "The foreign key reference Who cannot point to sObject type Account",
                "Who",
            ),
        ),
        (
            {"Subject": "x", "Who": "ada@acme.example"},
            error(
                "INVALID_FIELD",
                "The value provided for foreign key reference Who is not a nested SObject",
                "Who",
            ),
        ),
        (
            {"Subject": "x", "Who": {"attributes": {"type": "Contact"}}},
            error(
                "INVALID_FIELD", "The foreign key reference Who names no external ID field", "Who"
            ),
        ),
        (
            {
                "Subject": "x",
                "Who": {"attributes": {"type": "Lead"}, "Email": "a@b.c", "Name": "A"},
            },
            error(
                "INVALID_FIELD",
                "More than 1 field provided in an external foreign key reference in entity: Lead",
                "Who",
            ),
        ),
        (
            {"Subject": "x", "Who": {"attributes": {"type": "Contact"}, "Email": True}},
            error(
                "INVALID_TYPE_ON_FIELD_IN_RECORD", "Email: value not of required type: true", "Who"
            ),
        ),
        (  # the reference is read-only: said on the reference field
            {"Subject": "x", "Account": {"Name": "Acme"}},
            error(
                "INVALID_FIELD_FOR_INSERT_UPDATE",
                "Unable to create/update fields: AccountId. Please check the security settings of "
                "this field and verify that it is read/write for your profile or permission set.",
                "AccountId",
            ),
        ),
        (  # set both ways
            {
                "Subject": "x",
                "WhoId": ADA,
                "Who": {"attributes": {"type": "Contact"}, "Email": "ada@acme.example"},
            },
            error(
                "INVALID_FIELD",
                "Cannot specify both an external ID reference Who and a salesforce id, WhoId",
                "Who",
            ),
        ),
        (  # named twice (names ignore case)
            {
                "Subject": "x",
                "Who": {"attributes": {"type": "Contact"}, "Email": "ada@acme.example"},
                "WHO": {"attributes": {"type": "Contact"}, "Email": "ada@acme.example"},
            },
            error("JSON_PARSER_ERROR", "Duplicate field: Who", "Who"),
        ),
    ],
)
def test_a_malformed_reference_by_external_id_is_refused(
    values: dict[str, Any], expected: dict[str, Any]
) -> None:
    emu = Emulator.demo()
    sf = client(emu)
    assert refused(lambda: sf.Task.create(values)) == (400, [expected])
    assert len(emu.org.records.all("Task")) == 2  # nothing written


def test_a_key_field_the_user_cannot_see_is_no_external_id(tmp_path: Path) -> None:
    """Field-level security: a key hidden from the user is not one of the target's fields."""
    snapshot = _snapshot(tmp_path, {"Name": {"idLookup": True}})
    emu = Emulator.from_snapshot(snapshot)
    user = dataclasses.replace(
        DEMO_USER,
        username="fls@sfschema.example",
        user_id=make_id("005", 1003),
        hidden_fields=frozenset({"Account.AccountNumber"}),
    )
    hidden = emu.token_for(user)
    status, errors = refused(
        lambda: client(emu, hidden).Contact.create(
            {"LastName": "Lamarr", "Account": {"AccountNumber": "A-1"}}
        )
    )
    assert (status, errors) == (
        400,
        [
            error(
                "INVALID_FIELD",
                "Field name provided, AccountNumber is not an External ID or indexed field for "
                "Account",
                "Account",
            )
        ],
    )


# -- a parent with external ids (a copy of the demo org) ------------------------------------------


def _snapshot(tmp_path: Path, extra: dict[str, dict[str, Any]] | None = None) -> Path:
    """The demo org with Account.AccountNumber (text) and NumberOfEmployees (int) external ids."""
    root = tmp_path / "org"
    shutil.copytree(demo_org_dir(), root)
    path = root / "sobjects" / "Account.json"
    describe = json.loads(path.read_text(encoding="utf-8"))
    changes: dict[str, dict[str, Any]] = {
        "AccountNumber": {"externalId": True},
        "NumberOfEmployees": {"externalId": True},
    }
    for name, change in (extra or {}).items():
        changes[name] = {**changes.get(name, {}), **change}
    for field in describe["fields"]:
        field.update(changes.get(field["name"], {}))
    path.write_text(json.dumps(describe), encoding="utf-8")
    return root


@pytest.fixture
def keyed(tmp_path: Path) -> Emulator:
    emu = Emulator.from_snapshot(_snapshot(tmp_path))
    sf = client(emu)
    sf.Account.update(ACME, {"AccountNumber": "A-1", "NumberOfEmployees": 250})
    sf.Account.update(GLOBEX, {"AccountNumber": "a-1 ", "NumberOfEmployees": 40})
    return emu


def test_standard_relationship_by_a_parent_external_id(keyed: Emulator) -> None:
    sf = client(keyed)
    contact = sf.Contact.create({"LastName": "Lamarr", "Account": {"AccountNumber": "a-1"}})
    invoice = sf.Invoice__c.create({"Account__r": {"NumberOfEmployees": "40.0"}})  # a number
    by_number = sf.Invoice__c.create({"account__R": {"numberofemployees": 250}})
    rows = sf.query("SELECT Id, Account.Name FROM Contact WHERE LastName = 'Lamarr'")["records"]
    assert [(row["Id"], row["Account"]["Name"]) for row in rows] == [
        (contact["id"], "Acme Corporation")
    ]
    got = [
        sf.Invoice__c.get(record["id"], params={"fields": "Account__c"})["Account__c"]
        for record in (invoice, by_number)
    ]
    assert got == [GLOBEX, ACME]


def test_a_case_sensitive_external_id_matches_only_its_case(tmp_path: Path) -> None:
    emu = Emulator.from_snapshot(_snapshot(tmp_path, {"AccountNumber": {"caseSensitive": True}}))
    sf = client(emu)
    sf.Account.update(ACME, {"AccountNumber": "A-1"})
    assert refused(
        lambda: sf.Contact.create({"LastName": "Lamarr", "Account": {"AccountNumber": "a-1"}})
    ) == (
        400,
        [
            error(
                "INVALID_FIELD",
                "Foreign key external ID: a-1 not found for field AccountNumber in entity Account",
                "Account",
            )
        ],
    )
    made = sf.Contact.create({"LastName": "Lamarr", "Account": {"AccountNumber": "A-1"}})
    assert made["success"] is True


def test_a_required_reference_set_by_external_id_is_not_missing(keyed: Emulator) -> None:
    """Invoice__c.Account__c is required: sent through Account__r it is given, found or not."""
    sf = client(keyed)
    status, errors = refused(lambda: sf.Invoice__c.create({"Account__r": {"AccountNumber": "B"}}))
    assert (status, errors) == (
        400,
        [
            error(
                "INVALID_FIELD",
                "Foreign key external ID: B not found for field AccountNumber in entity Account",
                "Account__r",
            )
        ],
    )
    status, errors = refused(lambda: sf.Invoice__c.create({"Opportunity__r": {"Name": "Nope"}}))
    assert (status, errors) == (
        400,
        [
            error(
                "INVALID_FIELD",
                "Foreign key external ID: Nope not found for field Name in entity Opportunity",
                "Opportunity__r",
            ),
            error(
                "REQUIRED_FIELD_MISSING", "Required fields are missing: [Account__c]", "Account__c"
            ),
        ],
    )


def test_collections_link_by_external_id_record_by_record() -> None:
    emu = Emulator.demo()
    sf = client(emu)
    body = {
        "allOrNone": False,
        "records": [
            {
                "attributes": {"type": "Task"},
                "Subject": "Found",
                "What": {"attributes": {"type": "Invoice__c"}, "Invoice_Key__c": "GLOBEX-2024-001"},
            },
            {
                "attributes": {"type": "Task"},
                "Subject": "Not found",
                "What": {"attributes": {"type": "Invoice__c"}, "Invoice_Key__c": "X"},
            },
        ],
    }
    assert sf.restful("composite/sobjects", method="POST", json=body) == [
        {"id": NEW_TASK, "success": True, "errors": []},
        {
            "success": False,
            "errors": [
                {
                    "statusCode": "INVALID_FIELD",
                    "message": "Foreign key external ID: X not found for field Invoice_Key__c in "
                    "entity Invoice__c",
                    "fields": ["What"],
                }
            ],
        },
    ]
    row = emu.org.records.get("Task", NEW_TASK)
    assert row is not None and row["WhatId"] == "a0I000000000002EAA"


def test_a_number_key_takes_a_number_or_numeric_text(keyed: Emulator, tmp_path: Path) -> None:
    """The validator and the emulator refuse text that is no number for a number key alike."""
    values = {"Account__r": {"NumberOfEmployees": "many"}}
    report = validate_create(OrgSchema.from_snapshot(tmp_path / "org"), "Invoice__c", values)
    assert [(issue.field, issue.code, issue.message) for issue in report.errors] == [
        (
            "Account__r",
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            "NumberOfEmployees: value not of required type: many",
        )
    ]
    assert refused(lambda: client(keyed).Invoice__c.create(values)) == (
        400,
        [
            error(
                "INVALID_TYPE_ON_FIELD_IN_RECORD",
                "NumberOfEmployees: value not of required type: many",
                "Account__r",
            )
        ],
    )
