"""Query paging: batch sizes, locators, child results, snapshots across writes, cursor lifetime."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from sfschema import ids
from sfschema.emulator import Emulator
from sfschema.emulator.soql_eval import paging
from tests.emulator.conftest import bearer, client

LOCATOR = re.compile(r"/services/data/v59\.0/query/01g[0-9A-Za-z]{15}-(\d+)\Z")
BATCH_200 = {"Sforce-Query-Options": "batchSize=200"}
SEEDED = ["001000000000001AAA", "001000000000002AAA", "001000000000003AAA"]


def seed_accounts(emu: Emulator, count: int, start: int = 1000) -> list[str]:
    made = []
    for number in range(start, start + count):
        record_id = ids.make_id("001", number)
        emu.org.records.put("Account", {"Id": record_id, "Name": f"Account {number:05d}"})
        made.append(record_id)
    return made


def test_five_thousand_rows_page_at_batch_size_200(sf_emulator: Emulator) -> None:
    made = seed_accounts(sf_emulator, 5000)
    sf = client(sf_emulator)
    first = sf.query("SELECT Id FROM Account", headers=BATCH_200)
    assert (first["totalSize"], first["done"], len(first["records"])) == (5003, False, 200)
    match = LOCATOR.match(first["nextRecordsUrl"])
    assert match is not None and match.group(1) == "200"
    sf_emulator.reset_counter()
    seen = [row["Id"] for row in sf.query_all_iter("SELECT Id FROM Account", headers=BATCH_200)]
    assert seen == SEEDED + made  # each row exactly once, in order
    assert sf_emulator.api_calls == 26  # 25 pages of 200 and one of 3


def test_pages_and_the_last_page_has_no_next_url(sf_emulator: Emulator) -> None:
    seed_accounts(sf_emulator, 397)  # 400 rows
    sf = client(sf_emulator)
    first = sf.query("SELECT Id FROM Account", headers=BATCH_200)
    last = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    assert set(last) == {"totalSize", "done", "records"}
    assert (last["totalSize"], last["done"], len(last["records"])) == (400, True, 200)


def test_default_batch_is_2000_and_batch_size_is_bounded(sf_emulator: Emulator) -> None:
    seed_accounts(sf_emulator, 5000)
    sf = client(sf_emulator)

    def sizes(**kwargs: Any) -> list[int]:
        page = sf.query("SELECT Id FROM Account", **kwargs)
        counts = [len(page["records"])]
        while not page["done"]:
            page = sf.query_more(page["nextRecordsUrl"], identifier_is_url=True)
            counts.append(len(page["records"]))
        return counts

    assert sizes() == [2000, 2000, 1003]
    assert sizes(headers={"Sforce-Query-Options": "batchSize=1500"}) == [1500, 1500, 1500, 503]
    assert sizes(headers={"Sforce-Query-Options": "batchSize=50"})[:2] == [200, 200]
    assert sizes(headers={"Sforce-Query-Options": "batchSize=9000"}) == [2000, 2000, 1003]


def test_a_cursor_answers_the_rows_of_its_first_page_across_writes(sf_emulator: Emulator) -> None:
    made = seed_accounts(sf_emulator, 997)  # 1000 rows
    sf = client(sf_emulator)
    page = sf.query("SELECT Id, Name FROM Account ORDER BY Name", headers=BATCH_200)
    expected = {
        row["Id"]: row["Name"] for row in sf.query_all("SELECT Id, Name FROM Account")["records"]
    }
    rows = list(page["records"])
    seed_accounts(sf_emulator, 300, start=100)  # sorts before every page still to come
    for record_id in made[500:600]:  # renamed and deleted rows not yet paged
        sf_emulator.org.records.put(
            "Account", {"Id": record_id, "Name": "AAA renamed", "IsDeleted": True}
        )
    while not page["done"]:
        page = sf.query_more(page["nextRecordsUrl"], identifier_is_url=True)
        rows.extend(page["records"])
    assert {row["Id"]: row["Name"] for row in rows} == expected
    assert len(rows) == 1000
    assert [row["Name"] for row in rows] == sorted(expected.values(), key=str.lower)


def test_child_records_count_toward_the_batch_and_page_on_their_own(
    sf_emulator: Emulator,
) -> None:
    acme = SEEDED[0]
    for number in range(450):
        sf_emulator.org.records.put(
            "Contact",
            {
                "Id": ids.make_id("003", 5000 + number),
                "LastName": f"C{number:03d}",
                "AccountId": acme,
            },
        )
    sf = client(sf_emulator)
    soql = (
        "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name"
    )
    first = sf.query(soql, headers=BATCH_200)
    assert (first["totalSize"], first["done"], len(first["records"])) == (3, False, 1)
    contacts = first["records"][0]["Contacts"]
    assert (contacts["totalSize"], contacts["done"], len(contacts["records"])) == (451, False, 200)
    names = [row["LastName"] for row in contacts["records"]]
    while not contacts["done"]:
        contacts = sf.query_more(contacts["nextRecordsUrl"], identifier_is_url=True)
        names.extend(row["LastName"] for row in contacts["records"])
    assert names == sorted([f"C{n:03d}" for n in range(450)] + ["Lovelace"])
    rest = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    assert [row["Name"] for row in rest["records"]] == ["Globex GmbH", "Initech Pty Ltd"]
    assert rest["done"] is True


def test_cursors_expire_on_the_emulator_clock(sf_emulator: Emulator) -> None:
    seed_accounts(sf_emulator, 397)
    sf_emulator.clock.set(datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
    session, token = sf_emulator.session(), bearer(sf_emulator.access_token)

    def first_url(version: str) -> str:
        reply = session.get(
            f"{sf_emulator.instance_url}/services/data/v{version}/query",
            params={"q": "SELECT Id FROM Account"},
            headers={**token, **BATCH_200},
        )
        return str(reply.json()["nextRecordsUrl"])

    def status(url: str) -> tuple[int, Any]:
        reply = session.get(sf_emulator.instance_url + url, headers=token)
        return reply.status_code, reply.json() if reply.status_code != 200 else None

    gone = (400, [{"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}])
    recent, old = first_url("59.0"), first_url("55.0")
    assert old.startswith("/services/data/v55.0/query/01g")
    sf_emulator.clock.advance(timedelta(minutes=16))
    assert status(old) == gone  # before v56: 15 minutes without use
    sf_emulator.clock.advance(timedelta(days=2))
    assert status(recent) == gone  # since v56: two days
    fresh = first_url("59.0")
    sf_emulator.clock.advance(timedelta(days=1))
    assert status(fresh) == (200, None)


def test_open_cursors_are_bounded_least_recently_used_first(
    sf_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "MAX_OPEN_CURSORS", 2)
    seed_accounts(sf_emulator, 397)
    sf = client(sf_emulator)
    first, second, third = (
        sf.query("SELECT Id FROM Account", headers=BATCH_200)["nextRecordsUrl"] for _ in range(3)
    )
    assert len({first, second, third}) == 3
    with pytest.raises(SalesforceMalformedRequest) as closed:
        sf.query_more(first, identifier_is_url=True)
    assert closed.value.content == [
        {"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}
    ]
    for url in (second, third):
        assert len(sf.query_more(url, identifier_is_url=True)["records"]) == 200
