"""Queries through Client over the emulator (real simple-salesforce session underneath)."""

from __future__ import annotations

import pytest

from sfschema.client import Client
from sfschema.errors import SfschemaError, SoqlCheckError, SoqlError
from sfschema.soql import field, select
from tests.support.bulk_seed import bulk_seed


def _seed_tasks(client: Client, count: int) -> list[str]:
    assert client.emulator is not None
    return bulk_seed(client.emulator, "Task", ({"Subject": f"T{n:05d}"} for n in range(count)))


def test_5000_rows_at_batch_size_200_arrive_exactly_once(client: Client) -> None:
    made = _seed_tasks(client, 5000)
    result = client.query(
        "SELECT Id, Subject FROM Task WHERE Subject LIKE 'T%' ORDER BY Subject", batch_size=200
    )
    rows = list(result)
    assert [row["Id"] for row in rows] == made
    assert rows[0] == {"Id": made[0], "Subject": "T00000"}
    assert (result.pages, result.api_calls, result.total_size, result.rows) == (25, 25, 5000, 5000)
    assert result.truncated is False


def test_pages_are_fetched_as_the_iterator_is_consumed(client: Client) -> None:
    _seed_tasks(client, 1000)
    result = client.query("SELECT Id FROM Task WHERE Subject LIKE 'T%'", batch_size=200)
    assert result.pages == 0  # nothing sent yet
    first = [next(result) for _ in range(201)]
    assert len(first) == 201 and result.pages == 2
    assert len(list(result)) == 799 and result.pages == 5


def test_an_expired_session_is_refreshed_once_and_the_query_finishes(client: Client) -> None:
    made = _seed_tasks(client, 1000)
    result = client.query("SELECT Id FROM Task WHERE Subject LIKE 'T%'", batch_size=200)
    head = [next(result)["Id"] for _ in range(450)]
    assert client.emulator is not None
    client.emulator.expire_tokens()
    rows = head + [row["Id"] for row in result]
    assert rows == made
    assert client.wire.refreshes == 1
    assert result.pages == 5


def test_child_subquery_pages_are_followed(client: Client) -> None:
    assert client.emulator is not None
    [account] = client.emulator.seed("Account", [{"Name": "Many Contacts"}])
    contacts = bulk_seed(
        client.emulator,
        "Contact",
        ({"LastName": f"C{n:04d}", "AccountId": account} for n in range(450)),
    )
    result = client.query(
        "SELECT Name, (SELECT Id, LastName FROM Contacts ORDER BY LastName) FROM Account "
        "WHERE Id = :account",
        batch_size=200,
        account=account,
    )
    [row] = list(result)
    assert row["Name"] == "Many Contacts"
    assert [c["Id"] for c in row["Contacts"]] == contacts
    assert row["Contacts"][0] == {"Id": contacts[0], "LastName": "C0000"}
    assert result.pages > 1  # the child rows came on pages of their own


def test_parent_paths_are_nested_dicts_and_an_empty_child_list_is_empty(client: Client) -> None:
    rows = list(
        client.query(
            "SELECT LastName, Account.Name, (SELECT Id FROM Cases) FROM Contact "
            "ORDER BY LastName LIMIT 1"
        )
    )
    assert len(rows) == 1
    assert set(rows[0]) == {"LastName", "Account", "Cases"}
    assert isinstance(rows[0]["Account"], dict) and set(rows[0]["Account"]) == {"Name"}
    assert isinstance(rows[0]["Cases"], list)


def test_include_deleted_uses_query_all(client: Client) -> None:
    made = _seed_tasks(client, 3)
    assert client.delete("Task", made[1]).ok
    live = [r["Id"] for r in client.query("SELECT Id FROM Task WHERE Subject LIKE 'T%'")]
    every = client.query(
        "SELECT Id, IsDeleted FROM Task WHERE Subject LIKE 'T%'", include_deleted=True
    )
    assert live == [made[0], made[2]]
    assert [(r["Id"], r["IsDeleted"]) for r in every] == [
        (made[0], False),
        (made[1], True),
        (made[2], False),
    ]
    assert any(entry.path.endswith("/queryAll") for entry in client.emulator.requests)  # type: ignore[union-attr]


def test_count_is_one_count_query_without_rows(client: Client) -> None:
    _seed_tasks(client, 2500)
    result = client.query("SELECT Id, Subject FROM Task WHERE Subject LIKE 'T%' ORDER BY Subject")
    before = client.api_calls
    assert result.count() == 2500
    assert client.api_calls - before == 1
    assert result.pages == 0


def test_max_records_stops_early_and_says_so(client: Client) -> None:
    _seed_tasks(client, 1000)
    result = client.query(
        "SELECT Id FROM Task WHERE Subject LIKE 'T%'", batch_size=200, max_records=250
    )
    assert len(list(result)) == 250
    assert (result.pages, result.truncated) == (2, True)


def test_without_max_records_nothing_is_capped(client: Client) -> None:
    _seed_tasks(client, 2100)
    result = client.query("SELECT Id FROM Task WHERE Subject LIKE 'T%'")
    assert sum(1 for _ in result) == 2100
    assert (result.pages, result.truncated) == (2, False)


def test_chained_pages_cost_one_call_per_five_pages(client: Client) -> None:
    made = _seed_tasks(client, 5000)
    result = client.query(
        "SELECT Id FROM Task WHERE Subject LIKE 'T%' ORDER BY Subject",
        batch_size=200,
        chain_pages=True,
    )
    assert [row["Id"] for row in result] == made
    assert (result.pages, result.api_calls) == (25, 5)


def test_a_query_that_would_fail_costs_no_call(client: Client) -> None:
    client.describe("Account")
    before = len(client.emulator.requests)  # type: ignore[union-attr]
    with pytest.raises(SoqlCheckError) as caught:
        client.query("SELECT Id, Nmae FROM Account")
    assert "Nmae" in str(caught.value)
    assert [d.code for d in caught.value.diagnostics if d.is_error] == ["INVALID_FIELD"]
    sent = list(client.emulator.requests)[before:]  # type: ignore[union-attr]
    assert [entry.path for entry in sent if "/query" in entry.path] == []


def test_builder_queries_and_bound_parameters(client: Client) -> None:
    made = _seed_tasks(client, 3)
    built = select("Id").from_("Task").where(field("Subject") == "T00001")
    assert [r["Id"] for r in client.query(built)] == [made[1]]
    text = "SELECT Id FROM Task WHERE Subject = :subject"
    assert [r["Id"] for r in client.query(text, subject="T00002")] == [made[2]]
    assert [r["Id"] for r in client.query(text, subject="x' OR Subject != '")] == []
    with pytest.raises(SoqlError, match="no value for :subject"):
        client.query(text)


def test_generated_models_are_yielded_when_asked(client: Client) -> None:
    from generated.demo import Account

    rows = list(
        client.query("SELECT Id, Name FROM Account ORDER BY Name LIMIT 1", models="generated.demo")
    )
    assert len(rows) == 1 and isinstance(rows[0], Account)
    assert rows[0].Name == "Acme Corporation"


def test_bad_options_are_one_clear_error_before_any_request(client: Client) -> None:
    with pytest.raises(SfschemaError) as caught:
        client.query("SELECT Id FROM Task", batch_size=100)
    assert str(caught.value) == (
        "batch_size=100: Salesforce takes 200 to 2000 rows a page (Sforce-Query-Options: "
        "batchSize); give a number in that range"
    )
    with pytest.raises(SfschemaError, match=r"^max_records=0: give a whole number of 1 or more$"):
        client.query("SELECT Id FROM Task", max_records=0)
    assert len(client.emulator.requests) == 0  # type: ignore[union-attr]


def test_count_agrees_with_the_rows_iterated(client: Client) -> None:
    made = _seed_tasks(client, 450)
    client.delete("Task", made[7])
    for where in (
        "Subject LIKE 'T%'",
        "Subject > 'T00100'",
        "Subject = 'none'",
        "IsClosed = false",
    ):
        text = f"SELECT Id FROM Task WHERE {where}"
        rows = sum(1 for _ in client.query(text, batch_size=200))
        assert client.query(text).count() == rows, where
        every = sum(1 for _ in client.query(text, include_deleted=True))
        assert client.query(text, include_deleted=True).count() == every, where
