"""The emulator's query path: 5,000 rows paged through simple-salesforce, against moving them.

Each run seeds 5,000 Accounts and 5,000 Contacts (one Account each) in a fresh demo emulator and
reads every row with ``query_all_iter``. The baseline is the floor of the same work without SOQL:
the rows read from the record store and sent through ``json.dumps``/``json.loads`` in process.
API calls are the emulator's count (one per page). Wall time, best of 3.

Run: ``.venv/bin/python bench/emulator_query.py [--rows 5000]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table
from simple_salesforce import Salesforce

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sfschema import ids
from sfschema.emulator import Emulator


def seeded(rows: int) -> Emulator:
    emu = Emulator.demo()
    for number in range(rows):
        account = ids.make_id("001", 10_000 + number)
        emu.org.records.put("Account", {"Id": account, "Name": f"Account {number:05d}"})
        emu.org.records.put(
            "Contact",
            {
                "Id": ids.make_id("003", 10_000 + number),
                "LastName": f"L{number:05d}",
                "AccountId": account,
            },
        )
    return emu


def best(run: Callable[[], int]) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(3):
        started = time.perf_counter()
        count = run()
        times.append(time.perf_counter() - started)
    return min(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    emu = seeded(args.rows)
    sf = Salesforce(
        instance_url=emu.instance_url, session_id=emu.access_token, session=emu.session()
    )

    def baseline() -> int:
        rows = emu.org.records.all("Contact")
        return len(json.loads(json.dumps(rows)))

    def paged(soql: str, batch: int) -> Callable[[], int]:
        headers = {"Sforce-Query-Options": f"batchSize={batch}"}
        return lambda: sum(1 for _ in sf.query_all_iter(soql, headers=headers))

    runs = [
        ("baseline: store → JSON", baseline),
        ("SELECT Id, LastName, batch 2000", paged("SELECT Id, LastName FROM Contact", 2000)),
        ("SELECT Id, LastName, batch 200", paged("SELECT Id, LastName FROM Contact", 200)),
        (
            "+ Account.Name, WHERE LIKE, ORDER BY",
            paged(
                "SELECT Id, LastName, Account.Name FROM Contact WHERE LastName LIKE 'L%' "
                "ORDER BY Account.Name DESC",
                2000,
            ),
        ),
        (
            "Account + child subquery, batch 200",
            paged("SELECT Name, (SELECT LastName FROM Contacts) FROM Account", 200),
        ),
    ]
    table = Table(title=f"query {args.rows:,} rows through simple-salesforce (in process)")
    for column in ("run", "rows", "API calls", "seconds", "time vs baseline"):
        table.add_column(column, justify="right")
    base_seconds = 0.0
    for label, run in runs:
        emu.reset_counter()
        seconds, count = best(run)
        calls = emu.api_calls // 3
        base_seconds = base_seconds or seconds
        table.add_row(
            label, str(count), str(calls), f"{seconds:.3f}", f"{seconds / base_seconds:.1f}x"
        )
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
