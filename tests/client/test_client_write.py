"""Writes through Client over the emulator: every record accounted for, nothing written twice."""

from __future__ import annotations

from collections import Counter

import pytest

from sfschema.client import (
    ApiBudgetExceeded,
    Client,
    RequestLimitExceeded,
    RetryPolicy,
    WireError,
    WriteResult,
)
from sfschema.emulator import Emulator
from sfschema.salesforce_errors import outcome_unknown
from tests.support.bulk_seed import bulk_seed, lock_ids


def _emu(client: Client) -> Emulator:
    assert client.emulator is not None
    return client.emulator


def _written(client: Client) -> Counter[str]:
    """How many times the emulator wrote each record id (from its request log)."""
    return Counter(record_id for entry in _emu(client).requests for record_id in entry.written)


def _composite_calls(client: Client, since: int = 0) -> list[tuple[int, int]]:
    """(status, calls charged) of the /composite requests logged from ``since`` on."""
    return [
        (entry.status, entry.api_calls)
        for entry in list(_emu(client).requests)[since:]
        if entry.path.endswith("/composite")
    ]


def test_1000_updates_with_37_lock_failures_end_written_exactly_once(sleeps: list[float]) -> None:
    emu = Emulator.demo()
    made = bulk_seed(emu, "Task", ({"Subject": f"T{n}"} for n in range(1000)))
    locked = set(made[5::27][:37])
    assert len(locked) == 37
    lock_ids(emu, locked)

    def backoff(seconds: float) -> None:  # the locks are gone by the time the rows go again
        sleeps.append(seconds)
        lock_ids(emu, ())

    client = Client.for_emulator(emu, retry=RetryPolicy(sleep=backoff, seed=3))
    client.describe("Task")
    mark = len(emu.requests)
    results = client.update_many(
        "Task", ({"Id": record_id, "Subject": f"done {n}"} for n, record_id in enumerate(made))
    )
    assert results == [
        WriteResult(n, "succeeded", id=record_id) for n, record_id in enumerate(made)
    ]
    assert _written(client) == Counter(made)  # each record written exactly once
    assert _composite_calls(client, mark) == [(200, 1), (200, 1)]  # 1,000 rows, the 37 again
    assert len(sleeps) == 1 and 0.25 <= sleeps[0] < 0.5
    subjects = {r["Id"]: r["Subject"] for r in client.query("SELECT Id, Subject FROM Task")}
    assert all(subjects[record_id] == f"done {n}" for n, record_id in enumerate(made))


def test_mixed_batches_account_for_every_record(client: Client) -> None:
    emu = _emu(client)
    made = emu.seed("Task", ({"Subject": f"T{n}"} for n in range(4)))
    lock_ids(emu, [made[3]])  # locked on every attempt
    assert client.delete("Task", made[2]).ok
    records = [
        {"Id": made[0], "Priority": "High"},  # valid
        {"Id": made[1], "Subject": "x" * 256},  # rejected: too long
        {"Id": made[2], "Subject": "gone"},  # failed: deleted at Salesforce
        {"Id": made[3], "Subject": "locked"},  # failed after the retries
        {"Subject": "no id"},  # rejected: no Id
    ]
    results = client.update_many("Task", records)
    assert [(r.index, r.outcome) for r in results] == [
        (0, "succeeded"),
        (1, "rejected"),
        (2, "failed"),
        (3, "failed"),
        (4, "rejected"),
    ]
    assert results[0] == WriteResult(0, "succeeded", id=made[0])
    rejected = results[1].report
    assert rejected is not None and [(i.field, i.code) for i in rejected.errors] == [
        ("Subject", "STRING_TOO_LONG")
    ]
    assert [e.error_code for e in results[2].errors] == ["ENTITY_IS_DELETED"]
    assert results[3].errors == (
        WireError(
            "UNABLE_TO_LOCK_ROW",
            "unable to obtain exclusive access to this record or 1 records",
            200,
            (),
        ),
    )
    assert results[4].report is not None
    assert [(i.field, i.code) for i in results[4].report.errors] == [("Id", "MALFORMED_ID")]
    assert _written(client)[made[0]] == 1 and made[1] not in _written(client)


def test_a_503_on_a_create_collection_leaves_those_rows_unknown(client: Client) -> None:
    emu = _emu(client)
    client.describe("Task")
    before = client.query("SELECT Id FROM Task").count()
    emu.faults.unavailable_on = {emu.faults.requests_seen + 1}
    results = client.create_many("Task", ({"Subject": f"New {n}"} for n in range(3)))
    lost = WireError("OUTCOME_UNKNOWN", outcome_unknown("SERVER_UNAVAILABLE (HTTP 503)"), 503)
    assert results == [WriteResult(n, "unknown", errors=(lost,)) for n in range(3)]
    assert [e.status for e in emu.requests if e.path.endswith("/composite")][-1:] == [503]
    assert client.query("SELECT Id FROM Task").count() == before  # never sent again


def test_a_create_whose_answer_is_lost_is_not_sent_again(client: Client) -> None:
    emu = _emu(client)
    client.describe("Task")
    before = client.query("SELECT Id FROM Task").count()
    emu.faults.timeout_on = {emu.faults.requests_seen + 1}
    mark = len(emu.requests)
    results = client.create_many("Task", ({"Subject": f"New {n}"} for n in range(3)))
    assert [r.outcome for r in results] == ["unknown"] * 3
    assert "upsert by an external id field" in results[0].errors[0].message
    assert len(_composite_calls(client, mark)) == 1
    assert client.query("SELECT Id FROM Task").count() == before + 3  # written once, not twice


def test_an_update_whose_answer_is_lost_is_sent_again(client: Client, sleeps: list[float]) -> None:
    emu = _emu(client)
    made = emu.seed("Task", [{"Subject": "old"}])
    client.describe("Task")
    emu.faults.timeout_on = {emu.faults.requests_seen + 1}
    mark = len(emu.requests)
    assert client.update("Task", made[0], {"Subject": "new"}) == WriteResult(
        0, "succeeded", id=made[0]
    )
    assert _composite_calls(client, mark) == [(200, 1), (200, 1)] and len(sleeps) == 1


def test_request_limit_exceeded_stops_with_each_record_keeping_its_result(client: Client) -> None:
    emu = _emu(client)
    client.describe("Task")
    emu.faults.request_limit = emu.api_calls + 1  # room for one more call
    with pytest.raises(RequestLimitExceeded) as caught:
        client.create_many("Task", ({"Subject": f"N{n}"} for n in range(1001)))
    results = caught.value.results
    assert [r.outcome for r in results] == ["succeeded"] * 1000 + ["failed"]
    assert {e.error_code for r in results[1000:] for e in r.errors} == {"REQUEST_LIMIT_EXCEEDED"}
    assert caught.value.error_code == "REQUEST_LIMIT_EXCEEDED"


def test_a_max_calls_budget_refuses_a_job_that_would_exceed_it() -> None:
    client = Client.demo(max_calls=2)
    client.describe("Task")
    spent, mark = client.api_calls, len(_emu(client).requests)
    with pytest.raises(ApiBudgetExceeded) as caught:
        client.create_many("Task", [{"Subject": f"N{n}"} for n in range(2500)])
    assert str(caught.value) == (
        f"create of 2500 record(s) needs 3 API call(s); this client has spent {spent} of its "
        "max_calls=2: nothing was sent (raise max_calls to allow it)"
    )
    assert _composite_calls(client, mark) == []


def test_collections_of_200_five_to_a_call(client: Client) -> None:
    client.describe("Task")
    mark = len(_emu(client).requests)
    results = client.create_many("Task", ({"Subject": f"N{n}"} for n in range(1001)))
    assert [r.outcome for r in results] == ["succeeded"] * 1001
    assert [r.index for r in results] == list(range(1001))
    assert len({r.id for r in results}) == 1001
    assert _composite_calls(client, mark) == [(200, 1)] * 2
    sizes = [len(e.written) for e in list(_emu(client).requests)[mark:]]
    assert sizes == [1000, 1]  # five collections of 200 in the first call


def test_upsert_by_external_id_reports_created(client: Client) -> None:
    emu = _emu(client)
    [account] = emu.seed("Account", [{"Name": "Upsert Co"}])
    rows = [
        {"Invoice_Key__c": "K-1", "Account__c": account},
        {"Invoice_Key__c": "K-2", "Account__c": account},
    ]
    first = client.upsert_many("Invoice__c", "invoice_key__c", rows)
    assert [(r.outcome, r.created) for r in first] == [("succeeded", True)] * 2
    again = client.upsert("Invoice__c", "Invoice_Key__c", rows[0])
    assert (again.outcome, again.created, again.id) == ("succeeded", False, first[0].id)
    missing = client.upsert("Invoice__c", "Invoice_Key__c", {"Account__c": account})
    assert missing.outcome == "rejected" and missing.report is not None
    assert [(i.field, i.code) for i in missing.report.errors] == [
        ("Invoice_Key__c", "REQUIRED_FIELD_MISSING")
    ]


def test_upsert_by_a_field_that_is_no_external_id_is_one_clear_error(client: Client) -> None:
    with pytest.raises(Exception, match=r"Invoice__c.Amount__c is not an external id field"):
        client.upsert_many("Invoice__c", "Amount__c", [])


def test_delete_many_and_a_malformed_id(client: Client) -> None:
    made = _emu(client).seed("Task", ({"Subject": f"D{n}"} for n in range(2)))
    results = client.delete_many("Task", [made[0], "not-an-id", made[1]])
    assert [(r.outcome, r.id) for r in results] == [
        ("succeeded", made[0]),
        ("rejected", None),
        ("succeeded", made[1]),
    ]


def test_all_or_none_rolls_back_the_call(client: Client) -> None:
    emu = _emu(client)
    made = emu.seed("Task", ({"Subject": f"A{n}"} for n in range(2)))
    assert client.delete("Task", made[1]).ok
    results = client.update_many(
        "Task",
        [{"Id": made[0], "Subject": "changed"}, {"Id": made[1], "Subject": "deleted"}],
        all_or_none=True,
    )
    assert [(r.outcome, r.errors[0].error_code) for r in results] == [
        ("failed", "ALL_OR_NONE_OPERATION_ROLLED_BACK"),
        ("failed", "ENTITY_IS_DELETED"),
    ]
    [row] = client.query("SELECT Subject FROM Task WHERE Id = :id", id=made[0])
    assert row == {"Subject": "A0"}
