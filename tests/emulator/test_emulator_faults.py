"""Injected faults (deterministic under a seed), the request log's charging, and records kept
across restarts with a state directory — in process and through `sfschema emulator serve`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
from simple_salesforce.exceptions import (
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
)

from sfschema.emulator import Emulator
from sfschema.emulator.faults import Faults
from sfschema.emulator.serve import serve
from tests.conftest import served_cli
from tests.emulator.conftest import bearer, client

ACME = "001000000000001AAA"
V = "/services/data/v59.0"
LOCKED = {
    "statusCode": "UNABLE_TO_LOCK_ROW",
    "message": "unable to obtain exclusive access to this record or 1 records",
    "fields": [],
}


def test_chosen_records_cannot_be_locked(sf_emulator: Emulator) -> None:
    sf_emulator.faults.locked_ids.add(ACME[:15])  # any form of the id
    sf = client(sf_emulator)
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Account.update(ACME, {"Name": "x"})
    assert refused.value.content == [
        {
            "message": LOCKED["message"],
            "errorCode": "UNABLE_TO_LOCK_ROW",
            "fields": [],
        }
    ]
    answer = sf.restful(
        "composite/sobjects",
        method="PATCH",
        json={
            "records": [
                {"attributes": {"type": "Account"}, "Id": ACME, "Name": "x"},
                {"attributes": {"type": "Account"}, "Id": "001000000000002AAA", "Name": "y"},
            ]
        },
    )
    assert answer == [
        {"id": ACME, "success": False, "errors": [LOCKED]},
        {"id": "001000000000002AAA", "success": True, "errors": []},
    ]


def lock_outcomes(seed: int) -> list[bool]:
    emu = Emulator.demo(faults=Faults(seed=seed, lock_rate=0.5))
    answer = client(emu).restful(
        "composite/sobjects",
        method="POST",
        json={"records": [{"attributes": {"type": "Account"}, "Name": f"A{n}"} for n in range(40)]},
    )
    return [item["success"] for item in answer]


def test_a_lock_rate_is_deterministic_under_its_seed() -> None:
    first = lock_outcomes(3)
    assert first == lock_outcomes(3)
    assert first != lock_outcomes(4)
    assert 8 < first.count(False) < 32  # about half of 40


def test_session_expires_after_n_requests(sf_emulator: Emulator) -> None:
    sf_emulator.faults.expire_session_after = 2
    sf = client(sf_emulator)
    sf.Account.describe()
    sf.Lead.describe()
    with pytest.raises(SalesforceExpiredSession) as expired:
        sf.Case.describe()
    assert expired.value.content == [
        {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}
    ]
    assert client(sf_emulator).Case.describe()["name"] == "Case"  # a new token works
    assert [(r.status, r.api_calls) for r in sf_emulator.requests] == [
        (200, 1),
        (200, 1),
        (401, 0),
        (200, 1),
    ]


def test_503_is_not_processed_nor_charged(sf_emulator: Emulator) -> None:
    sf_emulator.faults.unavailable_on = {2}
    sf = client(sf_emulator)
    sf.Account.create({"Name": "first"})
    with pytest.raises(SalesforceGeneralError) as unavailable:
        sf.Account.create({"Name": "second"})
    assert (unavailable.value.status, unavailable.value.content) == (
        503,
        [
            {
                "message": "Server is temporarily unavailable. Please try again later.",
                "errorCode": "SERVER_UNAVAILABLE",
            }
        ],
    )
    names = [row["Name"] for row in sf_emulator.org.records.all("Account")]
    assert names[-1] == "first"
    assert [(r.status, r.api_calls) for r in sf_emulator.requests] == [(201, 1), (503, 0)]


def test_a_timeout_is_processed_but_never_answered(sf_emulator: Emulator) -> None:
    sf_emulator.faults.timeout_on = {1}
    sf = client(sf_emulator)
    with pytest.raises(requests.ReadTimeout):
        sf.Account.create({"Name": "lost answer"})
    assert sf_emulator.org.records.all("Account")[-1]["Name"] == "lost answer"
    [logged] = list(sf_emulator.requests)
    assert (logged.status, logged.api_calls, logged.written) == (
        201,
        1,
        ("001000000000004AAA",),
    )


def test_request_limit_exceeded_after_n_calls(sf_emulator: Emulator) -> None:
    sf_emulator.faults.request_limit = 2
    sf = client(sf_emulator)
    sf.Account.describe()
    sf.Account.describe()
    with pytest.raises(SalesforceRefusedRequest) as refused:
        sf.Account.describe()
    assert (refused.value.status, refused.value.content) == (
        403,
        [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}],
    )
    assert [(r.status, r.api_calls) for r in sf_emulator.requests] == [(200, 1), (200, 1), (403, 0)]


def test_a_501_is_never_charged(sf_emulator: Emulator) -> None:
    reply = sf_emulator.session().get(
        f"{sf_emulator.instance_url}{V}/search", headers=bearer(sf_emulator.access_token)
    )
    assert reply.status_code == 501
    assert [(r.method, r.path, r.status, r.api_calls) for r in sf_emulator.requests] == [
        ("GET", f"{V}/search", 501, 0)
    ]


def test_a_state_dir_keeps_records_across_restarts(tmp_path: Path) -> None:
    first = Emulator.demo(state_dir=tmp_path)
    new_id = client(first).Account.create({"Name": "Kept"})["id"]
    saved = json.loads((tmp_path / "Account.json").read_text(encoding="utf-8"))
    assert [row["Name"] for row in saved][-1] == "Kept"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["Account.json"]  # no temp files
    again = Emulator.demo(state_dir=tmp_path)
    assert client(again).Account.get(new_id)["Name"] == "Kept"
    assert Emulator.demo().org.records.get("Account", new_id) is None  # fresh without a state dir


def test_a_served_timeout_answers_after_the_clients_timeout() -> None:
    emu = Emulator.demo(faults=Faults(timeout_on={1}, timeout_seconds=0.5))
    served = serve(emu)
    served.start_in_thread()
    try:
        with pytest.raises(requests.ReadTimeout):
            requests.post(
                f"{served.instance_url}{V}/sobjects/Account",
                json={"Name": "slow"},
                headers=bearer(emu.access_token),
                verify=str(served.ca_bundle),
                timeout=0.2,
            )
        assert emu.org.records.all("Account")[-1]["Name"] == "slow"
    finally:
        served.close()


def test_serve_state_and_fault_flags(tmp_path: Path) -> None:
    def post(info: dict[str, Any], name: str) -> requests.Response:
        return requests.post(
            f"{info['instance_url']}{V}/sobjects/Account",
            json={"Name": name},
            headers=bearer(info["access_token"]),
            verify=info["ca_bundle"],
            timeout=10,
        )

    with served_cli("--state", str(tmp_path), "--unavailable-on", "1") as info:
        assert post(info, "Dropped").status_code == 503
        created = post(info, "Kept")
        assert created.status_code == 201
    with served_cli("--state", str(tmp_path)) as info:
        reply = requests.get(
            f"{info['instance_url']}{V}/sobjects/Account/{created.json()['id']}",
            params={"fields": "Name"},
            headers=bearer(info["access_token"]),
            verify=info["ca_bundle"],
            timeout=10,
        )
        assert reply.json()["Name"] == "Kept"
    names = [row["Name"] for row in json.loads((tmp_path / "Account.json").read_text())]
    assert names.count("Kept") == 1 and "Dropped" not in names
