"""Codegen at scale: generate 40 to 1,000-object orgs, import one object, validate 50,000 updates.

- memory and time by size: ``sfschema generate`` in a fresh process for synthetic orgs of 40,
  100, 400 and 1,000 objects (real describes cloned under new names): peak RSS and seconds per
  object, each against the 40-object run (objects are generated one at a time, so the peak
  should stay flat and the time per object too). Target: peak ≤ 2x from 40 to 400 objects;
- generation: ``sfschema generate`` work for a synthetic org of 1,000 objects, against reading
  and parsing the same describes;
- output size;
- import of one object's models in a fresh interpreter that has imported pydantic's BaseModel
  (median of 7 runs, bytecode cached), against that pydantic import itself; "+ first
  validation" adds building the deferred schema (and pydantic's one-time plugin lookup);
- run-time models: ``object_models(schema, "Opportunity")`` on a fresh schema;
- validation of 50,000 Opportunity updates (validate + JSON payload) with generated/demo's
  ``OpportunityUpdate`` and the run-time model, against THE raw pydantic model of the same shape
  (``tests/support/raw_baseline.raw_model``, shared with bench/validate_throughput.py): the same
  fields, aliases and required/optional/nullable split, each with the nearest standard pydantic
  constraint: ids ``Annotated[str, StringConstraints(max_length=18, pattern=15/18 letters and
  digits)]``, text ``StringConstraints(max_length=…)``, restricted picklists ``Literal[…]``,
  numbers ``Decimal`` with ``max_digits``/``decimal_places``, ``date``, ``AwareDatetime``,
  ``StrictBool``, ``extra="forbid"``. Every model is called through pydantic-core directly
  (validate, then dump with ``mode="json", exclude_unset=True, by_alias=True``). Inputs: realistic
  updates with ids from pools of 1,000 and with every id distinct (never seen before), CPU time,
  best of interleaved rounds.

Targets: generation < 10 s, import of one object < 50 ms, validation ≤ 1.5x the raw model.

Run: ``.venv/bin/python bench/codegen_scale.py [--objects 1000] [--records 50000]
[--sizes 40,100,400,1000]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from codegen.build import object_models
from codegen.output import package, write
from codegen.plan import source_of
from generated.demo import OpportunityUpdate
from sfschema.schema import OrgSchema
from tests.support.raw_baseline import (
    best_cpu_seconds,
    cpu_seconds,
    opportunity_updates,
    payload_of,
    raw_model,
)
from tests.support.synthetic import TEMPLATES, synthetic_org

ROOT = Path(__file__).resolve().parents[1]


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def fresh_interpreter(code: str, path: Path, runs: int = 7) -> float:
    """Median seconds printed by ``code`` in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": f"{path}{os.pathsep}{ROOT}"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users import from cached bytecode
    samples = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        samples.append(float(result.stdout))
    return statistics.median(samples)


GENERATE = """
import resource, sys, time
from sfschema.cli import main
started = time.perf_counter()
code = main(["generate", "--snapshot", sys.argv[1], "--out", sys.argv[2]])
seconds = time.perf_counter() - started
print(code, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def generate_in_fresh_process(snapshot: Path, out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of ``sfschema generate`` in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", GENERATE, str(snapshot), str(out)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    code, seconds, peak_kib = result.stdout.split()[-3:]
    if code != "0":
        raise SystemExit(f"generate failed: {result.stderr}")
    return float(seconds), int(peak_kib) / 1024


def scale_rows(work: Path, sizes: list[int]) -> list[tuple[str, str, str, str, str]]:
    """Peak memory and time per object of generation by org size, against the smallest org."""
    measured: dict[int, tuple[float, float]] = {}
    for size in sizes:
        org = synthetic_org(work / f"snapshot{size}", size)
        measured[size] = generate_in_fresh_process(org, work / f"out{size}" / f"org{size}")
    first = sizes[0]
    base_seconds, base_peak = measured[first]
    rows = []
    for size in sizes:
        seconds, peak = measured[size]
        peak_target = ""
        if size <= 400 and size != first:
            peak_target = f"<= 2x: {'met' if peak / base_peak <= 2 else 'MISSED'}"
        rows.append(
            (
                f"generate {size} objects, fresh process: peak RSS",
                f"{peak:.0f} MiB",
                f"{base_peak:.0f} MiB ({first} objects)",
                f"{peak / base_peak:.2f}x",
                peak_target,
            )
        )
        per_object = seconds / size
        rows.append(
            (
                f"generate {size} objects: time per object",
                f"{per_object * 1000:.1f} ms ({seconds:.2f} s)",
                f"{base_seconds / first * 1000:.1f} ms ({first} objects)",
                f"{per_object / (base_seconds / first):.2f}x",
                "",
            )
        )
    return rows


IMPORT_PYDANTIC = """
import time
started = time.perf_counter()
from pydantic import BaseModel
print(time.perf_counter() - started)
"""
IMPORT_ONE = """
import time
from pydantic import BaseModel
started = time.perf_counter()
from org1000 import {name}Update
print(time.perf_counter() - started)
"""
IMPORT_AND_VALIDATE = """
import time
from pydantic import BaseModel
started = time.perf_counter()
from org1000 import {name}Update
{name}Update.model_validate({{"StageName": "Prospecting"}})
print(time.perf_counter() - started)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=1000)
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--sizes", default="40,100,400,1000")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str, str]] = []

    with tempfile.TemporaryDirectory() as tmp:
        rows.extend(scale_rows(Path(tmp), [int(size) for size in args.sizes.split(",")]))

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        org = synthetic_org(work / "snapshot", args.objects)

        def parse_only() -> None:
            schema = OrgSchema.from_snapshot(org)
            for name in schema.object_names:  # one at a time, as generation reads them
                schema.sobject(name)
                schema.release(name)

        baseline = best_of(1, parse_only)
        out = work / "pkg" / "org1000"
        started = time.perf_counter()
        schema = OrgSchema.from_snapshot(org)
        write(out, package(schema, source_of(schema, "org1000")))
        generation = time.perf_counter() - started
        files = {path.name: path.read_text() for path in out.glob("*.py")}
        fields = sum(len(schema.sobject(name).fields) for name in schema.object_names)
        rows.append(
            (
                f"generate {args.objects} objects ({fields / args.objects:.0f} fields each)",
                f"{generation:.2f} s",
                f"{baseline:.2f} s (read + parse the describes)",
                f"{generation / baseline:.1f}x",
                f"< 10 s: {'met' if generation < 10 else 'MISSED'}",
            )
        )
        size = sum(len(text.encode()) for text in files.values())
        rows.append(
            (
                "output size",
                f"{size / 1e6:.1f} MB in {len(files)} files",
                f"{_dir_size(org) / 1e6:.1f} MB of describe JSON",
                f"{size / _dir_size(org):.2f}x",
                "",
            )
        )

        # Obj000__c, Obj006__c, ... are clones of the Opportunity describe.
        name = f"Obj{6 * (args.objects // 12):03d}__c"
        assert TEMPLATES[(6 * (args.objects // 12)) % len(TEMPLATES)] == "Opportunity"
        fresh_interpreter(IMPORT_ONE.format(name=name), out.parent, runs=1)  # writes .pyc files
        pydantic_import = fresh_interpreter(IMPORT_PYDANTIC, out.parent)
        one = fresh_interpreter(IMPORT_ONE.format(name=name), out.parent)
        first = fresh_interpreter(IMPORT_AND_VALIDATE.format(name=name), out.parent)
        for label, value in (
            (f"import {name}Update, fresh interpreter", one),
            ("  + first validation (deferred schema build)", first),
        ):
            rows.append(
                (
                    label,
                    f"{value * 1000:.1f} ms",
                    f"{pydantic_import * 1000:.1f} ms (from pydantic import BaseModel)",
                    f"{value / pydantic_import:.2f}x",
                    f"< 50 ms: {'met' if value < 0.05 else 'MISSED'}",
                )
            )

    demo_dir = ROOT / "sfschema" / "emulator" / "demo_org"
    runtime_build = best_of(
        5, lambda: object_models(OrgSchema.from_snapshot(demo_dir), "Opportunity")
    )
    parse = best_of(5, lambda: OrgSchema.from_snapshot(demo_dir).sobject("Opportunity"))
    rows.append(
        (
            "object_models(schema, 'Opportunity'), new schema",
            f"{runtime_build * 1000:.1f} ms",
            f"{parse * 1000:.1f} ms (load + parse the describe)",
            f"{runtime_build / parse:.1f}x",
            "",
        )
    )

    runtime_models = object_models(OrgSchema.from_snapshot(demo_dir), "Opportunity")
    raw = raw_model(runtime_models.update, runtime_models.meta)
    models = {
        "raw": payload_of(raw),
        "generated/demo OpportunityUpdate": payload_of(OpportunityUpdate),
        "run-time object_models(...).update": payload_of(runtime_models.update),
    }
    for label, pooled in (("ids from pools of 1,000", True), ("every id new", False)):

        def timed(check: Callable[[Any], Any], pooled: bool = pooled) -> Callable[[int], float]:
            def run(number: int) -> float:
                records = [
                    values for _, values in opportunity_updates(args.records, pooled, number)
                ]
                return cpu_seconds(lambda: list(map(check, records)))

            return run

        best = best_cpu_seconds({name: timed(check) for name, check in models.items()}, 5)
        for model_label in list(models)[1:]:
            seconds, hand = best[model_label], best["raw"]
            rows.append(
                (
                    f"validate {args.records:,} updates, {label}: {model_label}",
                    f"{seconds:.3f} s ({args.records / seconds / 1000:.0f}k/s)",
                    f"{hand:.3f} s raw pydantic, same shape ({args.records / hand / 1000:.0f}k/s)",
                    f"{seconds / hand:.2f}x",
                    f"<= 1.5x: {'met' if seconds / hand <= 1.5 else 'MISSED'}",
                )
            )

    table = Table(title="codegen at scale")
    for column in ("measurement", "value", "baseline (same process / machine)", "ratio", "target"):
        table.add_column(column, justify="left" if column == "measurement" else "right")
    for row in rows:
        table.add_row(*row)
    Console(width=170).print(table)
    print(json.dumps({"python": sys.version.split()[0], "cpus": os.cpu_count()}))


def _dir_size(root: Path) -> int:
    return sum(path.stat().st_size for path in root.rglob("*.json"))


if __name__ == "__main__":
    main()
