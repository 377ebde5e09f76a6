"""/limits against Sforce-Limit-Info, the daily allowance, and UI API picklist values."""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import SalesforceRefusedRequest, SalesforceResourceNotFound

from sfschema.emulator import READONLY_USER, Emulator, EmulatorSettings
from sfschema.emulator.picklists import master_picklist_values
from sfschema.ids import MASTER_RECORD_TYPE_ID, make_id
from tests.emulator.conftest import bearer, client, shipped

V = "/services/data/v59.0"
NEW_BUSINESS, RENEWAL = make_id("012", 5001), make_id("012", 5002)


def test_limits_agree_with_the_header(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    sf.Account.describe()
    sf.Contact.describe()
    reply = sf_emulator.session().get(
        f"{sf_emulator.instance_url}{V}/limits/", headers=bearer(sf_emulator.access_token)
    )
    assert reply.headers["Sforce-Limit-Info"] == "api-usage=3/15000"
    assert reply.json()["DailyApiRequests"] == {"Max": 15000, "Remaining": 14997}
    assert sorted(reply.json()) == sorted(
        [
            "ConcurrentAsyncGetReportInstances", "ConcurrentSyncReportRuns", "DailyApiRequests",
            "DailyAsyncApexExecutions", "DailyBulkApiBatches", "DailyBulkV2QueryFileStorageMB",
            "DailyBulkV2QueryJobs", "DailyStreamingApiEvents", "DataStorageMB", "FileStorageMB",
            "HourlyTimeBasedWorkflow", "MassEmail", "SingleEmail",
        ]
    )  # fmt: skip
    limits = sf.limits()
    assert limits["DailyApiRequests"] == {"Max": 15000, "Remaining": 14996}


def test_daily_allowance_runs_out_with_request_limit_exceeded() -> None:
    emu = Emulator.demo(settings=EmulatorSettings(daily_api_max=2))
    sf = client(emu)
    sf.Account.describe()
    sf.Account.describe()
    with pytest.raises(SalesforceRefusedRequest) as raised:
        sf.Account.describe()
    assert (raised.value.status, raised.value.content) == (
        403,
        [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}],
    )
    assert emu.api_calls == 2


def picklists(
    emu: Emulator, rt: str, token: str | None = None, obj: str = "Opportunity"
) -> tuple[int, object]:
    reply = emu.session().get(
        f"{emu.instance_url}{V}/ui-api/object-info/{obj}/picklist-values/{rt}",
        headers=bearer(token or emu.access_token),
    )
    return reply.status_code, reply.json()


def test_record_type_values_come_from_the_snapshot(sf_emulator: Emulator) -> None:
    for rt in (NEW_BUSINESS, RENEWAL):
        assert picklists(sf_emulator, rt) == (
            200,
            shipped("picklists", "Opportunity", f"{rt}.json"),
        )
    assert picklists(sf_emulator, NEW_BUSINESS[:15]) == (
        200,
        shipped("picklists", "Opportunity", f"{NEW_BUSINESS}.json"),
    )
    stages = {
        rt: [
            v["value"]
            for v in shipped("picklists", "Opportunity", f"{rt}.json")["picklistFieldValues"][
                "StageName"
            ]["values"]
        ]
        for rt in (NEW_BUSINESS, RENEWAL)
    }
    assert stages == {
        NEW_BUSINESS: [
            "Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote",
            "Negotiation/Review", "Closed Won", "Closed Lost",
        ],
        RENEWAL: ["Perception Analysis", "Negotiation/Review", "Closed Won", "Closed Lost"],
    }  # fmt: skip


def test_master_falls_back_to_describe_values(sf_emulator: Emulator) -> None:
    status, body = picklists(sf_emulator, MASTER_RECORD_TYPE_ID, obj="Invoice__c")
    assert status == 200
    assert body == master_picklist_values(
        shipped("sobjects", "Invoice__c.json"), MASTER_RECORD_TYPE_ID, "59.0"
    )
    country = body["picklistFieldValues"]["Country__c"]  # type: ignore[index]
    assert country["controllerValues"] == {"Americas": 0, "EMEA": 1, "APAC": 2}
    assert {v["value"]: v["validFor"] for v in country["values"]} == {
        "United States": [0], "Canada": [0], "Brazil": [0], "Germany": [1], "France": [1],
        "United Kingdom": [1], "Japan": [2], "Australia": [2], "Singapore": [2],
        "Other": [0, 1, 2],
    }  # fmt: skip
    method = body["picklistFieldValues"]["Payment_Method__c"]  # type: ignore[index]
    assert method["controllerValues"] == {"false": 0, "true": 1}
    status_field = body["picklistFieldValues"]["Status__c"]  # type: ignore[index]
    assert status_field["defaultValue"] == {
        "attributes": None, "label": "Draft", "validFor": [], "value": "Draft",
    }  # fmt: skip


def test_unknown_record_type_or_object_is_404(sf_emulator: Emulator) -> None:
    not_found = [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]
    assert picklists(sf_emulator, make_id("012", 9999)) == (404, not_found)
    assert picklists(sf_emulator, "not-an-id") == (404, not_found)
    assert picklists(sf_emulator, MASTER_RECORD_TYPE_ID, obj="Nope") == (404, not_found)


def test_single_field_route_and_fls(sf_emulator: Emulator) -> None:
    reply = sf_emulator.session().get(
        f"{sf_emulator.instance_url}{V}/ui-api/object-info/Opportunity/picklist-values/{RENEWAL}/stagename",
        headers=bearer(sf_emulator.access_token),
    )
    expected = shipped("picklists", "Opportunity", f"{RENEWAL}.json")["picklistFieldValues"][
        "StageName"
    ]
    assert reply.json() == expected


def test_picklists_follow_field_level_security() -> None:
    from sfschema.emulator import User

    no_region = User(
        username="noregion@sfschema.example", password="p", security_token="t",
        user_id=make_id("005", 1004), display_name="No Region", profile="Custom",
        hidden_fields=frozenset({"Invoice__c.Region__c", "Opportunity.LeadSource"}),
    )  # fmt: skip
    emu = Emulator.demo()
    token = emu.token_for(no_region)
    _, body = picklists(emu, MASTER_RECORD_TYPE_ID, token=token, obj="Invoice__c")
    fields = body["picklistFieldValues"]  # type: ignore[index]
    assert sorted(fields) == ["Country__c", "Payment_Method__c", "Status__c"]
    full = picklists(emu, MASTER_RECORD_TYPE_ID, obj="Invoice__c")[1]
    country = full["picklistFieldValues"]["Country__c"]  # type: ignore[index]
    assert fields["Country__c"]["values"] == country["values"]
    assert fields["Country__c"]["controllerValues"] == {}
    _, stored = picklists(emu, RENEWAL, token=token)
    expected = shipped("picklists", "Opportunity", f"{RENEWAL}.json")
    del expected["picklistFieldValues"]["LeadSource"]
    assert stored == expected
    assert picklists(emu, RENEWAL, token=emu.token_for(READONLY_USER)) == (
        200,
        shipped("picklists", "Opportunity", f"{RENEWAL}.json"),
    )


def test_describe_of_hidden_object_is_404() -> None:
    from sfschema.emulator import ObjectAccess, User

    intern = User(
        username="intern@sfschema.example", password="p", security_token="t",
        user_id=make_id("005", 1003), display_name="Intern", profile="Minimal",
        objects=(("Invoice__c", ObjectAccess(read=False, create=False, edit=False, delete=False)),),
    )  # fmt: skip
    emu = Emulator.demo()
    sf = client(emu, emu.token_for(intern))
    with pytest.raises(SalesforceResourceNotFound):
        sf.Invoice__c.describe()
    assert "Invoice__c" not in [row["name"] for row in sf.describe()["sobjects"]]
