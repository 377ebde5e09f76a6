"""API calls, wall time and memory: sfschema's Client vs simple-salesforce as its users use it.

Against the in-process emulator with latency injected per HTTP request (default 50 ms):

- read N rows: ``sf.query_all_iter`` (one call per 2,000-row page) vs ``client.query`` (pages
  of 2,000, and ``chain_pages``: five pages per /composite call);
- update N Opportunities: a ``sf.Opportunity.update`` loop vs ``client.update_many``;
- create 450 Tasks: a ``sf.Task.create`` loop vs ``client.create_many``.

API calls are the emulator's count. sfschema's schema is described once before it is timed
(the describe cache makes that a once-per-object cost). Then peak RSS of a process streaming M
rows to a file (served over HTTPS on loopback, no latency): ``sfschema query --format jsonl``
vs a script that writes ``sf.query_all(...)["records"]`` as simple-salesforce users do.

Run: ``.venv/bin/python bench/api_calls.py`` (short: 10,000 rows, 500 updates, 100 creates;
streaming 10,000 and 50,000 rows) or ``--full`` (the issue's sizes: 100,000 rows, 10,000
updates, 450 creates; streaming 100,000 and 1,000,000 rows — many minutes).
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table
from simple_salesforce import Salesforce

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sfschema.client import Client
from sfschema.emulator import Emulator
from sfschema.emulator.serve import serve
from tests.support.bulk_seed import bulk_seed

BIN = Path(sys.executable).parent
Row = tuple[str, str, int, float]


def simple_salesforce(emulator: Emulator) -> Salesforce:
    return Salesforce(
        instance_url=emulator.instance_url,
        session_id=emulator.access_token,
        session=emulator.session(),
        version=emulator.api_version,
    )


def timed(emulator: Emulator, work: Callable[[], object]) -> tuple[int, float]:
    before = emulator.api_calls
    started = time.perf_counter()
    work()
    return emulator.api_calls - before, time.perf_counter() - started


def reads(rows: int, latency: float) -> list[Row]:
    emulator = Emulator.demo()
    bulk_seed(emulator, "Task", ({"Subject": f"Bench {n}"} for n in range(rows)))
    soql = "SELECT Id, Subject FROM Task WHERE Subject LIKE 'Bench %'"  # the seeded rows only
    sf = simple_salesforce(emulator)
    client = Client.for_emulator(emulator)
    client.describe("Task")
    emulator.latency = latency
    task = f"read {rows:,} rows"
    out = [(task, "simple-salesforce query_all_iter", *timed(emulator, lambda: _drain(sf, soql)))]
    for label, chain in (("sfschema query", False), ("sfschema query chain_pages", True)):
        result = client.query(soql, chain_pages=chain)
        out.append((task, label, *timed(emulator, lambda r=result: sum(1 for _ in r))))
    return out


def _drain(sf: Salesforce, soql: str) -> int:
    return sum(1 for _ in sf.query_all_iter(soql))


def updates(count: int, latency: float) -> list[Row]:
    emulator = Emulator.demo()
    made = bulk_seed(
        emulator,
        "Opportunity",
        (
            {"Name": f"Deal {n}", "StageName": "Prospecting", "CloseDate": "2025-01-31"}
            for n in range(count)
        ),
    )
    sf = simple_salesforce(emulator)
    client = Client.for_emulator(emulator)
    client.describe("Opportunity")
    emulator.latency = latency

    def loop() -> None:
        for n, record_id in enumerate(made):
            sf.Opportunity.update(record_id, {"NextStep": f"Call {n}"})

    def batched() -> None:
        rows = ({"Id": record_id, "NextStep": f"Mail {n}"} for n, record_id in enumerate(made))
        results = client.update_many("Opportunity", rows)
        assert all(result.ok for result in results)

    task = f"update {count:,} records"
    return [
        (task, "simple-salesforce update loop", *timed(emulator, loop)),
        (task, "sfschema update_many", *timed(emulator, batched)),
    ]


def creates(count: int, latency: float) -> list[Row]:
    emulator = Emulator.demo()
    sf = simple_salesforce(emulator)
    client = Client.for_emulator(emulator)
    client.describe("Task")
    emulator.latency = latency

    def loop() -> None:
        for n in range(count):
            sf.Task.create({"Subject": f"Follow up {n}", "Priority": "High"})

    def batched() -> None:
        rows = ({"Subject": f"Follow up {n}", "Priority": "High"} for n in range(count))
        assert all(result.ok for result in client.create_many("Task", rows))

    task = f"create {count:,} Tasks"
    return [
        (task, "simple-salesforce create loop", *timed(emulator, loop)),
        (task, "sfschema create_many", *timed(emulator, batched)),
    ]


# -- memory while streaming --------------------------------------------------------------------

_PEAK = (
    "import resource, subprocess, sys\n"
    "with open(sys.argv[1], 'w') as out:\n"
    "    code = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL).returncode\n"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)
_BASELINE = (
    "import json, os, sys\n"
    "from simple_salesforce import Salesforce\n"
    "sf = Salesforce(instance_url=os.environ['SF_INSTANCE_URL'],\n"
    "                session_id=os.environ['SF_ACCESS_TOKEN'])\n"
    "json.dump(sf.query_all(sys.argv[1])['records'], sys.stdout)\n"
)


def peak_rss(command: list[str], env: dict[str, str], out: Path) -> float:
    """Peak RSS in MiB of a process running ``command`` (stdout to ``out``)."""
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(out), *command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    code, kib = done.stdout.split()
    if code != "0":
        raise SystemExit(f"{command[0]} failed with exit code {code}")
    return int(kib) / 1024


def streaming(sizes: list[int], work: Path) -> list[tuple[int, str, float, int]]:
    out: list[tuple[int, str, float, int]] = []
    for rows in sizes:
        emulator = Emulator.demo()
        bulk_seed(emulator, "Task", ({"Subject": f"Task {n}"} for n in range(rows)))
        served = serve(emulator)
        served.start_in_thread()
        try:
            env = {key: value for key, value in os.environ.items() if not key.startswith("SF_")}
            env.update(
                SF_INSTANCE_URL=served.instance_url,
                SF_ACCESS_TOKEN=emulator.access_token,
                REQUESTS_CA_BUNDLE=str(served.ca_bundle),
                SFSCHEMA_CACHE_DIR=str(work / "cache"),
            )
            soql = "SELECT Id, Subject, CreatedDate FROM Task"
            target = work / "rows.out"
            runs = (
                ("simple-salesforce query_all to a file", [sys.executable, "-c", _BASELINE, soql]),
                (
                    "sfschema query --format jsonl",
                    [str(BIN / "sfschema"), "query", soql, "--format", "jsonl", "--chain-pages"],
                ),
            )
            for label, command in runs:
                out.append((rows, label, peak_rss(command, env, target), target.stat().st_size))
        finally:
            served.close()
    return out


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per served request
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--full", action="store_true", help="the issue's sizes (slow)")
    parser.add_argument(
        "--only",
        choices=["reads", "updates", "creates", "memory"],
        action="append",
        help="run these parts only (default: all)",
    )
    args = parser.parse_args()
    parts = set(args.only or ["reads", "updates", "creates", "memory"])
    read_rows, update_count, create_count = (
        (100_000, 10_000, 450)
        if args.full
        else (
            10_000,
            500,
            100,
        )
    )
    stream_sizes = [100_000, 1_000_000] if args.full else [10_000, 50_000]
    console = Console(width=130)
    table = Table(title=f"API calls and wall time, {args.latency * 1000:.0f} ms latency a request")
    for column in ("task", "run", "API calls", "calls vs baseline", "seconds", "time vs baseline"):
        table.add_column(column, justify="right" if column not in ("task", "run") else "left")
    runs = (
        ("reads", lambda: reads(read_rows, args.latency)),
        ("updates", lambda: updates(update_count, args.latency)),
        ("creates", lambda: creates(create_count, args.latency)),
    )
    for rows in (run() for part, run in runs if part in parts):
        base_calls, base_seconds = rows[0][2], rows[0][3]
        for task, label, calls, seconds in rows:
            table.add_row(
                task,
                label,
                str(calls),
                f"{calls / base_calls:.4f}x",
                f"{seconds:.2f}",
                f"{seconds / base_seconds:.3f}x",
            )
        table.add_section()
    console.print(table)
    if "memory" not in parts:
        return
    memory = Table(title="peak RSS streaming rows to a file (HTTPS on loopback, no latency)")
    for column in ("rows", "run", "peak RSS MiB", "RSS vs baseline", "output MB"):
        memory.add_column(column, justify="right" if column != "run" else "left")
    with tempfile.TemporaryDirectory() as tmp:
        results = streaming(stream_sizes, Path(tmp))
    for index in range(0, len(results), 2):
        base = results[index][2]
        for rows, label, mib, size in results[index : index + 2]:
            memory.add_row(
                f"{rows:,}", label, f"{mib:.0f}", f"{mib / base:.3f}x", f"{size / 1e6:.1f}"
            )
        memory.add_section()
    console.print(memory)


if __name__ == "__main__":
    main()
