"""Answers name the version and host asked; recordCount, If-Unmodified-Since, UI API versions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from sfschema.demo import demo_org_dir
from sfschema.emulator import READONLY_USER, Emulator, ObjectAccess
from sfschema.ids import MASTER_RECORD_TYPE_ID, make_id
from tests.emulator.conftest import as_served, bearer, shipped


def get(emu: Emulator, path: str, token: str | None = None, **headers: str) -> tuple[int, Any]:
    reply = emu.session().get(
        emu.instance_url + path, headers={**bearer(token or emu.access_token), **headers}
    )
    return reply.status_code, reply.json() if reply.content else None


def test_describe_urls_name_the_version_and_host_asked() -> None:
    emu = Emulator.from_snapshot(demo_org_dir(), instance_url="https://x.test")
    status, body = get(emu, "/services/data/v45.0/sobjects/Account/describe")
    assert status == 200
    assert body == as_served(shipped("sobjects", "Account.json"), "https://x.test", "45.0")
    assert body["urls"]["sobject"] == "/services/data/v45.0/sobjects/Account"
    assert body["urls"]["uiNewRecord"] == "https://x.test/001/e"


def test_global_describe_and_basic_info_urls_name_the_version_asked(sf_emulator: Emulator) -> None:
    _, body = get(sf_emulator, "/services/data/v50.0/sobjects")
    assert {row["name"]: row["urls"]["describe"] for row in body["sobjects"]}["Case"] == (
        "/services/data/v50.0/sobjects/Case/describe"
    )
    assert not [
        url
        for row in body["sobjects"]
        for url in row["urls"].values()
        if not url.startswith("/services/data/v50.0/")
    ]
    _, info = get(sf_emulator, "/services/data/v50.0/sobjects/Case")
    assert info["objectDescribe"]["urls"]["sobject"] == "/services/data/v50.0/sobjects/Case"


def test_ui_api_urls_name_the_version_asked(sf_emulator: Emulator) -> None:
    rt = shipped("sobjects", "Opportunity.json")["recordTypeInfos"][0]["recordTypeId"]
    for record_type in (rt, MASTER_RECORD_TYPE_ID):
        status, body = get(
            sf_emulator,
            f"/services/data/v55.0/ui-api/object-info/Opportunity/picklist-values/{record_type}",
        )
        assert status == 200
        assert sorted({spec["url"] for spec in body["picklistFieldValues"].values()}) == sorted(
            f"/services/data/v55.0/ui-api/object-info/Opportunity/picklist-values/{record_type}/{name}"
            for name in body["picklistFieldValues"]
        )


NOT_FOUND = [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]


@pytest.mark.parametrize(
    ("version", "suffix", "status"),
    [
        ("41.0", "", 404),
        ("42.0", "", 200),
        ("40.0", "/StageName", 404),
        ("41.0", "/StageName", 200),
    ],
)
def test_ui_api_picklists_exist_from_v42_one_field_from_v41(
    sf_emulator: Emulator, version: str, suffix: str, status: int
) -> None:
    path = f"/services/data/v{version}/ui-api/object-info/Opportunity/picklist-values/"
    answer = get(sf_emulator, path + MASTER_RECORD_TYPE_ID + suffix)
    assert answer[0] == status
    if status == 404:
        assert answer[1] == NOT_FOUND


def test_record_count_comes_from_the_records(sf_emulator: Emulator) -> None:
    counts = {name: len(shipped("records", f"{name}.json")) for name in ("Account", "Contact")}
    path = "/services/data/v59.0/limits/recordCount"
    assert get(sf_emulator, path + "?sObjects=account,Contact,Nope__c,Event") == (
        200,
        {
            "sObjects": [
                {"count": counts["Account"], "name": "Account"},
                {"count": counts["Contact"], "name": "Contact"},
            ]
        },
    )
    status, every = get(sf_emulator, path)
    assert status == 200 and [row["name"] for row in every["sObjects"]] == [
        "Account", "Case", "Contact", "Invoice__c", "Lead", "Opportunity", "Task",
    ]  # fmt: skip
    assert sf_emulator.api_calls == 2


def test_record_count_leaves_out_what_the_user_cannot_read(sf_emulator: Emulator) -> None:
    no_cases = replace(
        READONLY_USER,
        username="nocases@sfschema.example",
        user_id=make_id("005", 1003),
        objects=(("Case", ObjectAccess(read=False)),),
    )
    token = sf_emulator.token_for(no_cases)
    _, every = get(sf_emulator, "/services/data/v59.0/limits/recordCount?sObjects=Case,Lead", token)
    assert every == {"sObjects": [{"count": len(shipped("records", "Lead.json")), "name": "Lead"}]}


def test_if_unmodified_since_is_412_when_the_describe_changed_after(sf_emulator: Emulator) -> None:
    path = "/services/data/v59.0/sobjects/Account/describe"
    last_modified = (
        sf_emulator.session()
        .get(sf_emulator.instance_url + path, headers=bearer(sf_emulator.access_token))
        .headers["Last-Modified"]
    )
    assert get(sf_emulator, path, **{"If-Unmodified-Since": last_modified})[0] == 200
    assert get(sf_emulator, path, **{"If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}) == (
        412,
        [
            {
                "message": "The requested resource has been modified since "
                "Mon, 01 Jan 2001 00:00:00 GMT",
                "errorCode": "PRECONDITION_FAILED",
            }
        ],
    )
    assert get(sf_emulator, "/services/data/v59.0/sobjects", **{
        "If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"
    })[0] == 412  # fmt: skip
