"""Pre-flight validation throughput: records per second on one core, and the cost against a raw
pydantic model of the same shape.

Workloads (demo org): 50,000 Opportunity updates and 50,000 Task creates, every record valid (the
fast path a workflow takes for nearly all records), each with ids from pools of 1,000 (a workflow
touching the same accounts, contacts and owners) and with every id distinct (each run gets ids no
run has seen, so no cache helps). Inputs: ``tests/support/raw_baseline.py``.

The baseline, "raw pydantic": THE raw model of the same shape (``raw_baseline.raw_model``, shared
with bench/codegen_scale.py): the same fields, aliases and required/optional/nullable split as the
sfschema model, each with the nearest standard pydantic constraint: ids
``Annotated[str, StringConstraints(max_length=18, pattern=15/18 letters and digits)]``, text
``StringConstraints(max_length=…)``, restricted picklists ``Literal[…]``, numbers ``Decimal`` with
``max_digits``/``decimal_places``, ``date``, ``AwareDatetime``, ``StrictBool``,
``extra="forbid"``. Its cost: validate + JSON payload (``model_dump(mode="json",
exclude_unset=True, by_alias=True)``), both through pydantic-core directly, the fastest standard
way (the ``model_validate``/``model_dump`` spelling is shown too). sfschema's validator validates
the same way but writes the payload from the validated values (``sfschema.runtime.payload``,
equal to ``model_dump``'s output by a property test) and checks exact 18-character ids in Rust.

Variants: the raw baseline; sfschema's run-time models alone (validate + ``model_dump``, no rule
layer); ``validate_update``/``validate_create`` with models built at run time from the snapshot
and with models generated into a temp package; the cached ``record_validator(...)`` called
directly.

Targets (issue 4): >= 100,000 records/s per core and <= 1.5x the raw pydantic cost.
Timing: CPU time of this process, best of interleaved rounds.

Run: ``.venv/bin/python bench/validate_throughput.py [--records 50000] [--rounds 5]``
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from codegen.build import object_models
from codegen.output import package_files, write
from codegen.plan import Source
from sfschema.schema import OrgSchema
from sfschema.validate import record_validator, validate_create, validate_update
from tests.support.raw_baseline import (
    best_cpu_seconds,
    cpu_seconds,
    opportunity_updates,
    payload_of,
    payload_via_api,
    raw_model,
    task_creates,
)

BASELINE = "raw pydantic, same shape (baseline)"


def generated_package(schema: OrgSchema, work: Path) -> str:
    """Generate the demo org's models into a temp package and make it importable."""
    name = "bench_generated_demo"
    files = package_files(schema, Source(name, "bench"), ["Opportunity", "Task"])
    write(work / name, files)
    sys.path.insert(0, str(work))
    importlib.invalidate_caches()
    return name


class Workload:
    """Records of one workload, built fresh for every run when ids must be distinct."""

    def __init__(self, build: Callable[[int, bool, int], list[Any]], count: int, pooled: bool):
        self.build, self.count, self.pooled = build, count, pooled
        self.shared = build(count, pooled, 0) if pooled else None

    def records(self, run: int) -> list[Any]:
        return self.shared if self.shared is not None else self.build(self.count, False, run)


def runs(
    workload: Workload, each: dict[str, Callable[[Any], Any]], accepted: dict[str, int]
) -> dict[str, Callable[[int], float]]:
    """Timed runs: each variant validates every record of the workload once."""

    def timed(label: str, check: Callable[[Any], Any]) -> Callable[[int], float]:
        def run(number: int) -> float:
            records = workload.records(number)
            results: list[Any] = []
            seconds = cpu_seconds(lambda: results.extend(map(check, records)))
            accepted[label] = sum(1 for result in results if getattr(result, "ok", True))
            return seconds

        return run

    return {label: timed(label, check) for label, check in each.items()}


def opportunity_variants(schema: OrgSchema, package: str) -> dict[str, Callable[[Any], Any]]:
    models = object_models(schema, "Opportunity")
    raw = raw_model(models.update, models.meta)
    raw_core, raw_api, sf_models = payload_of(raw), payload_via_api(raw), payload_of(models.update)
    validator = record_validator(schema, "Opportunity")
    return {
        BASELINE: lambda record: raw_core(record[1]),
        "raw pydantic, via model_validate/model_dump": lambda record: raw_api(record[1]),
        "sfschema run-time models only": lambda record: sf_models(record[1]),
        "validate_update, run-time models": lambda r: validate_update(schema, "Opportunity", *r),
        "validate_update, generated models": lambda r: validate_update(package, "Opportunity", *r),
        "record_validator(...).update": lambda record: validator.update(*record),
    }


def task_variants(schema: OrgSchema, package: str) -> dict[str, Callable[[Any], Any]]:
    models = object_models(schema, "Task")
    raw = raw_model(models.create, models.meta)
    validator = record_validator(schema, "Task")
    return {
        BASELINE: payload_of(raw),
        "raw pydantic, via model_validate/model_dump": payload_via_api(raw),
        "sfschema run-time models only": payload_of(models.create),
        "validate_create, run-time models": lambda values: validate_create(schema, "Task", values),
        "validate_create, generated models": lambda v: validate_create(package, "Task", v),
        "record_validator(...).create": validator.create,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    schema = OrgSchema.demo()
    table = Table(
        title=f"pre-flight validation, {args.records:,} valid records, CPU time, best of "
        f"{args.rounds} interleaved rounds, one core"
    )
    columns = ("workload", "ids", "variant", "records/s", "µs/record", "accepted", "vs raw")
    for column in (*columns, "target"):
        table.add_column(column, justify="left" if column in ("variant", "ids") else "right")
    with tempfile.TemporaryDirectory() as tmp:
        package = generated_package(schema, Path(tmp))
        plans = [
            ("Opportunity update", opportunity_updates, opportunity_variants(schema, package)),
            ("Task create", task_creates, task_variants(schema, package)),
        ]
        for workload_name, build, variants in plans:
            for pooled in (True, False):
                workload = Workload(build, args.records, pooled)
                accepted: dict[str, int] = {}
                best = best_cpu_seconds(runs(workload, variants, accepted), args.rounds)
                baseline = best[BASELINE]
                for label, seconds in best.items():
                    rate, ratio = args.records / seconds, seconds / baseline
                    target = ""
                    if label.startswith(("validate_", "record_validator")):
                        met = rate >= 100_000 and ratio <= 1.5
                        target = f"{'met' if met else 'MISSED'}"
                    table.add_row(
                        workload_name,
                        "pool of 1,000" if pooled else "all distinct",
                        label,
                        f"{rate:,.0f}",
                        f"{seconds / args.records * 1e6:.2f}",
                        f"{accepted[label]:,}",
                        f"{ratio:.2f}x",
                        target,
                    )
                table.add_section()
    Console(width=150).print(table)
    print("target: >= 100,000 records/s and <= 1.5x the raw pydantic baseline")


if __name__ == "__main__":
    main()
