"""Describe routes of the emulator, driven by the real simple-salesforce client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simple_salesforce.exceptions import SalesforceGeneralError, SalesforceResourceNotFound

from sfschema.emulator import READONLY_USER, Emulator
from sfschema.emulator.formats import http_datetime, parse_http_datetime
from tests.emulator.conftest import bearer, client, shipped

NOT_FOUND = [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]


def test_describe_equals_shipped_payload(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    assert sf.Opportunity.describe() == shipped("sobjects", "Opportunity.json")
    assert sf.Task.describe() == shipped("sobjects", "Task.json")
    assert sf_emulator.api_calls == 2


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["Opportunity", "Invoice__c", "Task"]), st.data())
def test_object_names_resolve_case_insensitively(name: str, data: st.DataObject) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    spelled = "".join(c.swapcase() if flip else c for c, flip in zip(name, flips, strict=True))
    emu = Emulator.demo()
    reply = emu.session().get(
        f"{emu.instance_url}/services/data/v59.0/sobjects/{spelled}/describe",
        headers=bearer(emu.access_token),
    )
    assert reply.status_code == 200
    assert reply.json() == shipped("sobjects", f"{name}.json")


def test_unknown_object_is_404_not_found(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    with pytest.raises(SalesforceResourceNotFound) as raised:
        sf.Nope__c.describe()
    assert (raised.value.status, raised.value.content) == (404, NOT_FOUND)


def test_readonly_user_sees_fls_filtered_describe(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator, sf_emulator.token_for(READONLY_USER))
    expected = shipped("sobjects", "Opportunity.json")
    for key in ("createable", "updateable", "deletable", "undeletable", "mergeable"):
        expected[key] = False
    expected["fields"] = [
        {**f, "createable": False, "updateable": False}
        for f in expected["fields"]
        if f["name"] != "Amount"
    ]
    assert sf.Opportunity.describe() == expected
    assert client(sf_emulator).Opportunity.describe() == shipped("sobjects", "Opportunity.json")


def test_global_describe_lists_every_object(sf_emulator: Emulator) -> None:
    served = client(sf_emulator).describe()
    assert served == shipped("global.json")
    assert [row["name"] for row in served["sobjects"]] == [
        "Account", "Case", "Contact", "Event", "Invoice__c", "Lead", "Opportunity", "Task",
    ]  # fmt: skip


def test_global_describe_for_readonly_user_reflects_object_permissions(
    sf_emulator: Emulator,
) -> None:
    served = client(sf_emulator, sf_emulator.token_for(READONLY_USER)).describe()
    expected = shipped("global.json")
    for row in expected["sobjects"]:
        for key in ("createable", "updateable", "deletable", "undeletable", "mergeable"):
            row[key] = False
    assert served == expected


def test_basic_info_is_the_global_row(sf_emulator: Emulator) -> None:
    row = next(r for r in shipped("global.json")["sobjects"] if r["name"] == "Invoice__c")
    assert client(sf_emulator).Invoice__c.metadata() == {"objectDescribe": row, "recentItems": []}


def get_describe(emu: Emulator, **headers: str) -> tuple[int, dict[str, str], bytes]:
    reply = emu.session().get(
        f"{emu.instance_url}/services/data/v59.0/sobjects/Opportunity/describe",
        headers={**bearer(emu.access_token), **headers},
    )
    return reply.status_code, dict(reply.headers), reply.content


def test_if_modified_since_gives_304_with_empty_body(sf_emulator: Emulator) -> None:
    status, headers, _ = get_describe(sf_emulator)
    assert status == 200
    last_modified = headers["Last-Modified"]
    status, again, body = get_describe(sf_emulator, **{"If-Modified-Since": last_modified})
    assert (status, body) == (304, b"")
    assert (again["Last-Modified"], again["ETag"]) == (last_modified, headers["ETag"])
    assert again["Sforce-Limit-Info"] == "api-usage=2/15000"
    assert "Content-Type" not in again


def test_if_none_match_gives_304(sf_emulator: Emulator) -> None:
    _, headers, _ = get_describe(sf_emulator)
    status, _, body = get_describe(sf_emulator, **{"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    status, _, _ = get_describe(sf_emulator, **{"If-None-Match": '"other"'})
    assert status == 200


def test_touch_makes_the_describe_modified_again(sf_emulator: Emulator) -> None:
    _, headers, _ = get_describe(sf_emulator)
    sf_emulator.touch("opportunity")
    status, after, body = get_describe(
        sf_emulator, **{"If-Modified-Since": headers["Last-Modified"]}
    )
    assert status == 200 and body
    assert after["Last-Modified"] != headers["Last-Modified"]
    assert after["ETag"] != headers["ETag"]


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=-86400 * 400, max_value=86400 * 400))
def test_304_exactly_when_if_modified_since_is_not_older(offset: int) -> None:
    emu = Emulator.demo()
    last_modified = parse_http_datetime(get_describe(emu)[1]["Last-Modified"])
    assert last_modified is not None
    since = http_datetime(last_modified + timedelta(seconds=offset))
    status, _, _ = get_describe(emu, **{"If-Modified-Since": since})
    assert status == (304 if offset >= 0 else 200)


def test_simple_salesforce_sees_304_as_an_error_status(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    _, headers, _ = get_describe(sf_emulator)
    with pytest.raises(SalesforceGeneralError) as raised:
        sf.Opportunity.describe(headers={"If-Modified-Since": headers["Last-Modified"]})
    assert raised.value.status == 304


def test_versions_need_no_auth_and_carry_no_limit_header(sf_emulator: Emulator) -> None:
    reply = sf_emulator.session().get(f"{sf_emulator.instance_url}/services/data/")
    versions = reply.json()
    assert versions[0] == {"label": "Summer '14", "url": "/services/data/v31.0", "version": "31.0"}
    assert versions[-1] == {"label": "Winter '24", "url": "/services/data/v59.0", "version": "59.0"}
    assert [v["version"] for v in versions] == [f"{n}.0" for n in range(31, 60)]
    assert "Sforce-Limit-Info" not in reply.headers
    assert sf_emulator.api_calls == 0


def test_unserved_version_is_404(sf_emulator: Emulator) -> None:
    reply = sf_emulator.session().get(
        f"{sf_emulator.instance_url}/services/data/v99.0/sobjects/",
        headers=bearer(sf_emulator.access_token),
    )
    assert (reply.status_code, reply.json()) == (404, NOT_FOUND)


def test_resource_the_emulator_lacks_is_a_clear_501(sf_emulator: Emulator) -> None:
    reply = sf_emulator.session().get(
        f"{sf_emulator.instance_url}/services/data/v59.0/search",
        params={"q": "FIND {Acme}"},
        headers=bearer(sf_emulator.access_token),
    )
    assert (reply.status_code, reply.json()) == (
        501,
        [
            {
                "message": "The sfschema emulator does not implement GET "
                "/services/data/v59.0/search yet",
                "errorCode": "EMULATOR_NOT_IMPLEMENTED",
            }
        ],
    )
    assert sf_emulator.api_calls == 0


def test_wrong_method_is_405(sf_emulator: Emulator) -> None:
    reply = sf_emulator.session().delete(
        f"{sf_emulator.instance_url}/services/data/v59.0/limits",
        headers=bearer(sf_emulator.access_token),
    )
    assert (reply.status_code, reply.json()) == (
        405,
        [
            {
                "message": "HTTP Method 'DELETE' not allowed. Allowed are GET,HEAD",
                "errorCode": "METHOD_NOT_ALLOWED",
            }
        ],
    )


def test_global_describe_is_conditional_too(sf_emulator: Emulator) -> None:
    url = f"{sf_emulator.instance_url}/services/data/v59.0/sobjects"
    session = sf_emulator.session()
    first = session.get(url, headers=bearer(sf_emulator.access_token))
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    again = session.get(url, headers={**bearer(sf_emulator.access_token), **since})
    assert (again.status_code, again.content) == (304, b"")
    sf_emulator.touch("Lead")
    changed = session.get(url, headers={**bearer(sf_emulator.access_token), **since})
    assert changed.status_code == 200 and changed.json() == shipped("global.json")


def test_latency_is_slept_once_per_http_request(
    sf_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sfschema.emulator.wire as wire

    slept: list[float] = []
    monkeypatch.setattr(wire.time, "sleep", slept.append)
    sf_emulator.latency = 0.05
    sf = client(sf_emulator)
    sf.Lead.describe()
    sf.restful(
        "composite",
        method="POST",
        json={
            "compositeRequest": [
                {
                    "method": "GET",
                    "url": f"/services/data/v59.0/sobjects/{n}/describe",
                    "referenceId": n,
                }
                for n in ("Lead", "Case", "Task")
            ]
        },
    )
    assert slept == [0.05, 0.05]
