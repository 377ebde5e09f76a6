"""API calls and wall time to describe N objects, sfschema vs a simple-salesforce loop.

For N = 25, 100, 400 objects (a synthetic org: real describe payloads cloned under new names),
with 50 ms of latency injected per HTTP request, against the in-process emulator:

- baseline: ``sf.<Object>.describe()`` for each object, the way simple-salesforce users do it;
- sfschema cold: global describe + /composite batches of 25;
- sfschema warm: the same objects again (memory cache, no request);
- sfschema revalidate: If-Modified-Since per object inside /composite (all 304).

Run: ``.venv/bin/python bench/describe_calls.py [--latency 0.05] [--sizes 25,100,400]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from cachetools import TTLCache
from rich.console import Console
from rich.table import Table
from simple_salesforce import Salesforce

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sfschema.client.session import connect_emulator
from sfschema.describe.cache import DescribeCache
from sfschema.emulator import Emulator
from sfschema.schema import OrgSchema
from tests.support.synthetic import synthetic_org


def baseline(emulator: Emulator, names: list[str]) -> tuple[int, float]:
    sf = Salesforce(
        instance_url=emulator.instance_url,
        session_id=emulator.access_token,
        session=emulator.session(),
        version=emulator.api_version,
    )
    emulator.reset_counter()
    started = time.perf_counter()
    for name in names:
        getattr(sf, name).describe()
    return emulator.api_calls, time.perf_counter() - started


def measure(size: int, latency: float, work: Path) -> list[tuple[str, int, float]]:
    org = synthetic_org(work / f"org{size}", size)
    names = OrgSchema.from_snapshot(org).object_names
    emulator = Emulator.from_snapshot(org)
    emulator.latency = latency
    rows = [("simple-salesforce loop", *baseline(emulator, names))]
    transport = connect_emulator(emulator).transport
    transport.identity()  # one-time login cost, outside the measured work
    cache = DescribeCache(transport, work / f"cache{size}", memory=TTLCache(100_000, 600))
    for label, revalidate in (
        ("sfschema cold", False),
        ("sfschema warm", False),
        ("sfschema revalidate", True),
    ):
        emulator.reset_counter()
        started = time.perf_counter()
        cache.sync(names, revalidate=revalidate)
        rows.append((label, emulator.api_calls, time.perf_counter() - started))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--sizes", default="25,100,400")
    args = parser.parse_args()
    table = Table(title=f"describe N objects, {args.latency * 1000:.0f} ms latency per request")
    for column in ("N", "run", "API calls", "calls vs baseline", "seconds", "time vs baseline"):
        table.add_column(column, justify="right")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            rows = measure(size, args.latency, Path(tmp))
            base_calls, base_seconds = rows[0][1], rows[0][2]
            for label, calls, seconds in rows:
                table.add_row(
                    str(size),
                    label,
                    str(calls),
                    f"{calls / base_calls:.3f}x",
                    f"{seconds:.3f}",
                    f"{seconds / base_seconds:.3f}x",
                )
            table.add_section()
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
