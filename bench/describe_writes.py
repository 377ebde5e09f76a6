"""CPU of writing the describe cache: the snapshot writer and the manifest, vs their baselines.

Against the in-process emulator (no latency), on a synthetic org (real describe payloads cloned
under new names), each baseline run in the same process:

1. encode: every describe payload written with the standard library's encoder
   (``json.dumps(indent=2, sort_keys=True)``, the old writer) vs orjson (``dump_json``);
2. cold pull: ``DescribeCache.sync`` of every object into an empty directory, process CPU, with
   the standard encoder swapped in vs as shipped;
3. one at a time: N objects synced one per ``sync`` call; CPU per object in the first and the
   last tenth of the run. The baseline re-hashes every cached file on each manifest write (the
   old merge); the incremental manifest keeps hashes in memory and re-hashes what it wrote, so
   its time per object stays flat as the cache grows.

Run: ``.venv/bin/python bench/describe_writes.py [--sizes 100,400]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cachetools import TTLCache
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sfschema.describe.snapshot as snapshot_module
from sfschema.client.session import connect_emulator
from sfschema.describe.cache import DescribeCache
from sfschema.describe.snapshot import (
    Manifest,
    ObjectEntry,
    SnapshotDir,
    dump_json,
    dump_json_plain,
    sha256_bytes,
)
from sfschema.emulator import Emulator
from tests.support.synthetic import synthetic_org


class RehashingCache(DescribeCache):
    """The baseline manifest merge: every cached file read and hashed on each manifest write."""

    def _write_manifest(
        self, manifest: Manifest, touched: dict[str, ObjectEntry], wrote_global: bool
    ) -> None:
        for name in list(manifest.objects):
            sha256_bytes(self.store.read_object_bytes(name))
        super()._write_manifest(manifest, touched, wrote_global)


@contextmanager
def standard_encoder() -> Iterator[None]:
    saved = snapshot_module.dump_json
    snapshot_module.dump_json = dump_json_plain
    try:
        yield
    finally:
        snapshot_module.dump_json = saved


def cpu(work: Callable[[], Any]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def encode_rows(payloads: list[Any]) -> list[tuple[str, float]]:
    def run(encoder: Callable[[Any], bytes]) -> float:
        return min(cpu(lambda: [encoder(p) for p in payloads]) for _ in range(3))

    return [("json.dumps (baseline)", run(dump_json_plain)), ("orjson", run(dump_json))]


def cold_rows(org: Path, names: list[str], work: Path) -> list[tuple[str, float]]:
    emulator = Emulator.from_snapshot(org)
    transport = connect_emulator(emulator).transport
    transport.identity()

    def pull(label: str) -> float:
        cache = DescribeCache(transport, work / label, memory=TTLCache(100_000, 600))
        return cpu(lambda: cache.sync(names))

    with standard_encoder():
        baseline = pull("cold-json")
    return [("cold pull, json.dumps (baseline)", baseline), ("cold pull, orjson", pull("cold"))]


def one_at_a_time(
    cls: type[DescribeCache], org: Path, names: list[str], directory: Path
) -> tuple[float, float]:
    """CPU seconds per object in the first and in the last tenth of the syncs."""
    transport = connect_emulator(Emulator.from_snapshot(org)).transport
    transport.identity()
    cache = cls(transport, directory, memory=TTLCache(100_000, 600))
    times = [cpu(lambda name=name: cache.sync([name])) for name in names]
    tenth = max(len(times) // 10, 1)
    return sum(times[:tenth]) / tenth, sum(times[-tenth:]) / tenth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,400")
    args = parser.parse_args()
    table = Table(title="describe cache writes: CPU seconds (process time), same process")
    for column in ("N", "run", "CPU s", "vs baseline"):
        table.add_column(column, justify="right")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            work = Path(tmp) / f"n{size}"
            org = synthetic_org(work / "org", size)
            store = SnapshotDir(org)
            names = store.object_names()
            payloads = [store.read_object(name) for name in names]
            for rows in (encode_rows(payloads), cold_rows(org, names, work)):
                for label, seconds in rows:
                    ratio = seconds / rows[0][1]
                    table.add_row(str(size), label, f"{seconds:.3f}", f"{ratio:.2f}x")
            base_first, base_last = one_at_a_time(RehashingCache, org, names, work / "rehash")
            first, last = one_at_a_time(DescribeCache, org, names, work / "incremental")
            for label, seconds, against in (
                ("one at a time, re-hash all (baseline): first 10%", base_first, base_first),
                ("one at a time, re-hash all (baseline): last 10%", base_last, base_first),
                ("one at a time, incremental: first 10%", first, base_first),
                ("one at a time, incremental: last 10%", last, base_last),
            ):
                table.add_row(str(size), label, f"{seconds:.4f}", f"{seconds / against:.2f}x")
            table.add_row(
                str(size), "incremental: last / first (flat ≈ 1)", "", f"{last / first:.2f}x"
            )
            table.add_section()
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
