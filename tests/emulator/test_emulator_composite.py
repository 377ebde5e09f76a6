"""/composite and /composite/batch: shapes, limits, conditional subrequests and API counting."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sfschema.emulator import Emulator
from tests.emulator.conftest import bearer, client, shipped

V = "/services/data/v59.0"
NOT_FOUND = [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]


def describe_sub(name: str, ref: str, **headers: str) -> dict[str, Any]:
    sub: dict[str, Any] = {
        "method": "GET",
        "url": f"{V}/sobjects/{name}/describe",
        "referenceId": ref,
    }
    if headers:
        sub["httpHeaders"] = headers
    return sub


def post(emu: Emulator, path: str, body: Any) -> tuple[int, Any]:
    reply = emu.session().post(
        f"{emu.instance_url}{V}/{path}", json=body, headers=bearer(emu.access_token)
    )
    return reply.status_code, reply.json()


def test_composite_describes_with_304_inside(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    first = sf.restful(
        "composite", method="POST", json={"compositeRequest": [describe_sub("Task", "t")]}
    )
    [entry] = first["compositeResponse"]
    headers = entry["httpHeaders"]
    assert entry == {
        "body": shipped("sobjects", "Task.json"),
        "httpHeaders": {"ETag": headers["ETag"], "Last-Modified": headers["Last-Modified"]},
        "httpStatusCode": 200,
        "referenceId": "t",
    }
    again = sf.restful(
        "composite",
        method="POST",
        json={
            "compositeRequest": [
                describe_sub("Task", "t", **{"If-Modified-Since": headers["Last-Modified"]}),
                describe_sub("Lead", "l", **{"If-Modified-Since": headers["Last-Modified"]}),
                describe_sub("Nope__c", "n"),
            ]
        },
    )
    assert again == {
        "compositeResponse": [
            {"body": None, "httpHeaders": headers, "httpStatusCode": 304, "referenceId": "t"},
            {
                "body": None,
                "httpHeaders": again["compositeResponse"][1]["httpHeaders"],
                "httpStatusCode": 304,
                "referenceId": "l",
            },
            {"body": NOT_FOUND, "httpHeaders": {}, "httpStatusCode": 404, "referenceId": "n"},
        ]
    }
    assert sf_emulator.api_calls == 2


def test_composite_of_26_is_400(sf_emulator: Emulator) -> None:
    subs = [describe_sub("Account", f"r{i}") for i in range(26)]
    assert post(sf_emulator, "composite", {"compositeRequest": subs}) == (
        400,
        [
            {
                "message": "Maximum number of subrequests exceeded: 26. The limit is 25.",
                "errorCode": "LIMIT_EXCEEDED",
            }
        ],
    )


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=30))
def test_composite_counts_one_call_whatever_its_size(size: int) -> None:
    emu = Emulator.demo()
    status, body = post(
        emu,
        "composite",
        {"compositeRequest": [describe_sub("Contact", f"c{i}") for i in range(size)]},
    )
    assert status == (200 if size <= 25 else 400)
    if size <= 25:
        assert [e["httpStatusCode"] for e in body["compositeResponse"]] == [200] * size
    assert emu.api_calls == 1


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=30))
def test_batch_counts_each_subrequest(size: int) -> None:
    emu = Emulator.demo()
    subs = [{"method": "GET", "url": "v59.0/sobjects/Case/describe"} for _ in range(size)]
    status, body = post(emu, "composite/batch", {"batchRequests": subs})
    if size <= 25:
        assert status == 200
        assert body == {
            "hasErrors": False,
            "results": [{"result": shipped("sobjects", "Case.json"), "statusCode": 200}] * size,
        }
        assert emu.api_calls == size
    else:
        assert (status, emu.api_calls) == (400, 1)


def test_batch_of_25_is_25_calls_and_composite_of_25_is_one(sf_emulator: Emulator) -> None:
    subs = [{"method": "GET", "url": "v59.0/limits"} for _ in range(25)]
    reply = sf_emulator.session().post(
        f"{sf_emulator.instance_url}{V}/composite/batch",
        json={"batchRequests": subs},
        headers=bearer(sf_emulator.access_token),
    )
    assert reply.headers["Sforce-Limit-Info"] == "api-usage=25/15000"
    assert reply.json()["results"][-1]["result"]["DailyApiRequests"] == {
        "Max": 15000,
        "Remaining": 14975,
    }
    sf_emulator.reset_counter()
    post(
        sf_emulator,
        "composite",
        {"compositeRequest": [describe_sub("Lead", f"l{i}") for i in range(25)]},
    )
    assert sf_emulator.api_calls == 1


def test_batch_halt_on_error(sf_emulator: Emulator) -> None:
    subs = [
        {"method": "GET", "url": "v59.0/sobjects/Nope/describe"},
        {"method": "GET", "url": "v59.0/sobjects/Lead/describe"},
    ]
    assert post(sf_emulator, "composite/batch", {"batchRequests": subs, "haltOnError": True}) == (
        200,
        {
            "hasErrors": True,
            "results": [
                {"result": NOT_FOUND, "statusCode": 404},
                {
                    "result": [
                        {
                            "errorCode": "BATCH_PROCESSING_HALTED",
                            "message": "Batch processing halted per request",
                        }
                    ],
                    "statusCode": 412,
                },
            ],
        },
    )
    assert sf_emulator.api_calls == 2


def test_all_or_none_halts_the_other_subrequests(sf_emulator: Emulator) -> None:
    halted = [
        {
            "errorCode": "PROCESSING_HALTED",
            "message": "The transaction was rolled back since another operation in the same "
            "transaction failed.",
        }
    ]
    status, body = post(
        sf_emulator,
        "composite",
        {
            "allOrNone": True,
            "compositeRequest": [
                describe_sub("Lead", "a"),
                describe_sub("Nope", "b"),
                describe_sub("Case", "c"),
            ],
        },
    )
    assert (status, body) == (
        200,
        {
            "compositeResponse": [
                {"body": halted, "httpHeaders": {}, "httpStatusCode": 400, "referenceId": "a"},
                {"body": NOT_FOUND, "httpHeaders": {}, "httpStatusCode": 404, "referenceId": "b"},
                {"body": halted, "httpHeaders": {}, "httpStatusCode": 400, "referenceId": "c"},
            ]
        },
    )


def test_forbidden_subrequest_header_is_400(sf_emulator: Emulator) -> None:
    sub = describe_sub("Lead", "a", Authorization="Bearer x")
    assert post(sf_emulator, "composite", {"compositeRequest": [sub]}) == (
        400,
        [
            {
                "message": "The header 'Authorization' is not allowed in a subrequest.",
                "errorCode": "INVALID_INPUT",
            }
        ],
    )


def test_references_resolve_and_unemulated_subrequests_are_refused_loudly(
    sf_emulator: Emulator,
) -> None:
    with_ref = [
        describe_sub("Lead", "a"),
        {**describe_sub("Lead", "b"), "url": f"{V}/sobjects/@{{a.name}}/describe"},
    ]
    status, body = post(sf_emulator, "composite", {"compositeRequest": with_ref})
    assert status == 200
    assert [entry["body"] for entry in body["compositeResponse"]] == [
        shipped("sobjects", "Lead.json")
    ] * 2
    search = {"method": "GET", "url": f"{V}/search?q=FIND+%7BAcme%7D", "referenceId": "s"}
    assert post(
        sf_emulator, "composite", {"compositeRequest": [describe_sub("Lead", "a"), search]}
    ) == (
        501,
        [
            {
                "message": "composite subrequest 's': The sfschema emulator does not implement "
                "GET /services/data/v59.0/search yet",
                "errorCode": "EMULATOR_NOT_IMPLEMENTED",
            }
        ],
    )


def test_malformed_composite_bodies_are_400(sf_emulator: Emulator) -> None:
    cases = [
        ({}, "compositeRequest: required field is missing or not a list"),
        (
            {"compositeRequest": [describe_sub("Lead", "a"), describe_sub("Case", "a")]},
            "Duplicate referenceId provided in the request: a",
        ),
        (
            {"compositeRequest": [{**describe_sub("Lead", "a"), "url": "v59.0/sobjects"}]},
            "compositeRequest[0]: url 'v59.0/sobjects' must be a full path starting with "
            "/services/data/vXX.X/",
        ),
        (
            {"compositeRequest": [{**describe_sub("Lead", "1a")}]},
            "compositeRequest[0]: referenceId '1a' must start with a letter or underscore and "
            "hold only letters, digits and underscores",
        ),
    ]
    for body, message in cases:
        assert post(sf_emulator, "composite", body) == (
            400,
            [{"message": message, "errorCode": "INVALID_INPUT"}],
        )
