"""/composite with writes: @{reference} expressions, allOrNone rollback with PROCESSING_HALTED,
the limit of 5 collection/query subrequests, and the whole request charged as one API call."""

from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from sfschema.emulator import Emulator
from sfschema.emulator.composite import _resolve, _Unresolved
from tests.emulator.conftest import client

V = "/services/data/v59.0"
HALTED = [
    {
        "errorCode": "PROCESSING_HALTED",
        "message": "The transaction was rolled back since another operation in the same "
        "transaction failed.",
    }
]


def chain() -> list[dict[str, Any]]:
    return [
        {
            "method": "POST",
            "url": f"{V}/sobjects/Account",
            "referenceId": "acct",
            "body": {"Name": "Initech"},
        },
        {
            "method": "POST",
            "url": f"{V}/sobjects/Contact",
            "referenceId": "con",
            "body": {"LastName": "Lumbergh", "AccountId": "@{acct.id}"},
        },
        {
            "method": "GET",
            "url": f"{V}/sobjects/Contact/@{{con.id}}?fields=AccountId,LastName",
            "referenceId": "read",
        },
    ]


def test_references_feed_later_subrequests_and_the_request_is_one_call(
    sf_emulator: Emulator,
) -> None:
    sf = client(sf_emulator)
    answer = sf.restful(
        "composite", method="POST", json={"allOrNone": True, "compositeRequest": chain()}
    )
    account, contact = "001000000000004AAA", "003000000000004AAA"
    assert answer == {
        "compositeResponse": [
            {
                "body": {"id": account, "success": True, "errors": []},
                "httpHeaders": {"Location": f"{V}/sobjects/Account/{account}"},
                "httpStatusCode": 201,
                "referenceId": "acct",
            },
            {
                "body": {"id": contact, "success": True, "errors": []},
                "httpHeaders": {"Location": f"{V}/sobjects/Contact/{contact}"},
                "httpStatusCode": 201,
                "referenceId": "con",
            },
            {
                "body": {
                    "attributes": {"type": "Contact", "url": f"{V}/sobjects/Contact/{contact}"},
                    "AccountId": account,
                    "LastName": "Lumbergh",
                },
                "httpHeaders": {},
                "httpStatusCode": 200,
                "referenceId": "read",
            },
        ]
    }
    assert sf_emulator.api_calls == 1
    [logged] = list(sf_emulator.requests)
    assert (logged.status, logged.api_calls, logged.written) == (200, 1, (account, contact))


def test_all_or_none_rolls_back_and_halts_the_others(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    before = sf_emulator.org.records.all("Account"), sf_emulator.org.records.all("Contact")
    failing = {
        "method": "PATCH",
        "url": f"{V}/sobjects/Account/@{{acct.id}}",
        "referenceId": "bad",
        "body": {"Name": None},
    }
    answer = sf.restful(
        "composite",
        method="POST",
        json={"allOrNone": True, "compositeRequest": [*chain(), failing]},
    )
    halted = {"body": HALTED, "httpHeaders": {}, "httpStatusCode": 400}
    assert answer == {
        "compositeResponse": [
            {**halted, "referenceId": "acct"},
            {**halted, "referenceId": "con"},
            {**halted, "referenceId": "read"},
            {
                "body": [
                    {
                        "message": "Required fields are missing: [Name]",
                        "errorCode": "REQUIRED_FIELD_MISSING",
                        "fields": ["Name"],
                    }
                ],
                "httpHeaders": {},
                "httpStatusCode": 400,
                "referenceId": "bad",
            },
        ]
    }
    after = sf_emulator.org.records.all("Account"), sf_emulator.org.records.all("Contact")
    assert after == before
    assert [r.written for r in sf_emulator.requests] == [()]


def test_a_reference_to_a_failed_subrequest_is_halted(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    first, *rest = chain()
    answer = sf.restful(
        "composite",
        method="POST",
        json={"compositeRequest": [{**first, "body": {"Name": None}}, *rest]},
    )
    assert [entry["httpStatusCode"] for entry in answer["compositeResponse"]] == [400, 400, 400]
    assert answer["compositeResponse"][1]["body"] == [
        {
            "errorCode": "PROCESSING_HALTED",
            "message": "Invalid reference specified. No value for @{acct.id} found in the "
            "earlier answers.",
        }
    ]


def test_at_most_five_collection_or_query_subrequests(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    get = {
        "method": "GET",
        "url": f"{V}/composite/sobjects/Account?ids=001000000000001AAA&fields=Name",
    }
    subrequests = [{**get, "referenceId": f"r{n}"} for n in range(6)]
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.restful("composite", method="POST", json={"compositeRequest": subrequests})
    assert refused.value.content == [
        {
            "message": "Maximum number of subrequests exceeded: 6. The limit is 5.",
            "errorCode": "LIMIT_EXCEEDED",
        }
    ]
    answer = sf.restful("composite", method="POST", json={"compositeRequest": subrequests[:5]})
    assert [entry["httpStatusCode"] for entry in answer["compositeResponse"]] == [200] * 5


def test_reference_paths_reach_into_query_answers() -> None:
    page = {
        "totalSize": 3,
        "done": False,
        "nextRecordsUrl": f"{V}/query/01g000000000001AAA-2000",
        "records": [{"attributes": {"type": "Account"}, "Id": "001000000000001AAA"}],
    }
    bodies = {"q": page}
    assert _resolve(
        {"url": "@{q.nextRecordsUrl}", "AccountId": "@{q.records[0].Id}", "n": "@{q.totalSize}"},
        bodies,
    ) == {"url": f"{V}/query/01g000000000001AAA-2000", "AccountId": "001000000000001AAA", "n": 3}
    assert _resolve(f"{V}/sobjects/Account/@{{q.records[0].Id}}", bodies) == (
        f"{V}/sobjects/Account/001000000000001AAA"
    )
    for missing in ("@{q.records[1].Id}", "@{nope.id}", "@{q.records}"):
        with pytest.raises(_Unresolved):
            _resolve(missing, bodies)


def test_a_collection_subrequest_feeds_a_reference(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    create = {
        "method": "POST",
        "url": f"{V}/composite/sobjects",
        "referenceId": "made",
        "body": {"records": [{"attributes": {"type": "Account"}, "Name": "Initech"}]},
    }
    rename = {
        "method": "PATCH",
        "url": f"{V}/sobjects/Account/@{{made[0].id}}",
        "referenceId": "rename",
        "body": {"Name": "Initech Corp"},
    }
    answer = sf.restful("composite", method="POST", json={"compositeRequest": [create, rename]})
    assert answer == {
        "compositeResponse": [
            {
                "body": [{"id": "001000000000004AAA", "success": True, "errors": []}],
                "httpHeaders": {},
                "httpStatusCode": 200,
                "referenceId": "made",
            },
            {"body": None, "httpHeaders": {}, "httpStatusCode": 204, "referenceId": "rename"},
        ]
    }
    row = sf_emulator.org.records.get("Account", "001000000000004AAA")
    assert row is not None and row["Name"] == "Initech Corp"
    assert [(r.api_calls, r.written) for r in sf_emulator.requests] == [
        (1, ("001000000000004AAA", "001000000000004AAA"))
    ]
