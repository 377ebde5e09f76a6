"""Describe routes of the emulator, driven by the real simple-salesforce client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceResourceNotFound

from sfschema.emulator import DEMO_USER, READONLY_USER, Emulator
from sfschema.emulator.demo import demo_org_dir


def shipped(name: str) -> Any:
    return json.loads((demo_org_dir() / "sobjects" / f"{name}.json").read_text(encoding="utf-8"))


def client(emu: Emulator, token: str | None = None) -> Salesforce:
    return Salesforce(
        instance_url=emu.instance_url,
        session_id=token or emu.access_token,
        session=emu.session(),
    )


def test_describe_equals_shipped_payload(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    assert sf.Opportunity.describe() == shipped("Opportunity")
    assert sf_emulator.api_calls == 1


def test_describe_name_is_case_insensitive(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    assert sf.opportunity.describe() == shipped("Opportunity")


def test_unknown_object_is_404_not_found(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    with pytest.raises(SalesforceResourceNotFound) as raised:
        sf.Nope__c.describe()
    assert raised.value.status == 404
    assert raised.value.content == [
        {"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}
    ]


def test_readonly_user_sees_fls_filtered_describe(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator, sf_emulator.token_for(READONLY_USER))
    seen = sf.Opportunity.describe()
    expected = shipped("Opportunity")
    expected["createable"] = expected["updateable"] = expected["deletable"] = False
    expected["undeletable"] = expected["mergeable"] = False
    expected["fields"] = [
        {**f, "createable": False, "updateable": False}
        for f in expected["fields"]
        if f["name"] != "Amount"
    ]
    assert seen == expected
    assert DEMO_USER.user_id != READONLY_USER.user_id
