"""Pre-flight validation throughput: records per second on one core.

Workloads (demo org): 50,000 Opportunity updates and 50,000 Task creates, every record valid (the
fast path a workflow takes for nearly all records). Variants:

- raw pydantic: a hand-written model of the same fields with pydantic's own types and limits
  (``model_validate`` + ``model_dump(mode="json", exclude_unset=True)``) — the baseline;
- models only: sfschema's run-time models, validate + dump, no rule layer;
- run-time / generated: ``validate_update`` / ``validate_create`` (the public functions) with
  models built at run time from the snapshot, or imported from a package generated to a temp dir;
- validator: the cached ``record_validator(...)`` called directly, as a hot loop would.

"vs raw" is the ratio to the raw pydantic baseline; "vs models" isolates what the validator adds
on top of the models (record id check, rule layer, report).

Targets: >= 100,000 records/s per core and <= 1.5x the raw pydantic cost.

Run: ``.venv/bin/python bench/validate_throughput.py [--records 50000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from codegen.build import object_models
from codegen.output import package_files, write
from codegen.plan import Source
from sfschema.ids import make_id
from sfschema.schema import OrgSchema
from sfschema.validate import record_validator, validate_create, validate_update

ID_PATTERN = r"^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$"
RawId = Annotated[str, Field(pattern=ID_PATTERN)]


class RawOpportunityUpdate(BaseModel):
    """What a careful user would hand-write for the same fields."""

    model_config = ConfigDict(extra="forbid")
    Name: Annotated[str, Field(max_length=120)] | None = None
    StageName: Annotated[str, Field(max_length=255)] | None = None
    Amount: Annotated[Decimal, Field(gt=-(10**16), lt=10**16)] | None = None
    Probability: Annotated[Decimal, Field(gt=-1000, lt=1000)] | None = None
    CloseDate: dt.date | None = None
    NextStep: Annotated[str, Field(max_length=255)] | None = None
    ForecastCategoryName: Literal["Omitted", "Pipeline", "Best Case", "Commit", "Closed"] | None = (
        None
    )


class RawTaskCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    Subject: Annotated[str, Field(max_length=255)] | None = None
    WhatId: RawId | None = None
    WhoId: RawId | None = None
    ActivityDate: dt.date | None = None
    Status: Annotated[str, Field(max_length=40)] = "Not Started"
    Priority: Annotated[str, Field(max_length=40)] = "Normal"
    Description: Annotated[str, Field(max_length=32000)] | None = None


STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Closed Won"]
FORECAST = ["Pipeline", "Best Case", "Commit", "Closed"]
STATUSES = ["Not Started", "In Progress", "Completed"]


def opportunity_updates(count: int) -> list[tuple[str, dict[str, Any]]]:
    records = []
    for n in range(count):
        values: dict[str, Any] = {
            "StageName": STAGES[n % len(STAGES)],
            "Amount": Decimal(f"{n % 100000}.{n % 100:02d}"),
            "CloseDate": f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            "ForecastCategoryName": FORECAST[n % len(FORECAST)],
        }
        if n % 2:
            values["NextStep"] = f"Call back #{n}"
            values["Probability"] = n % 100
        records.append((make_id("006", n + 1), values))
    return records


def task_creates(count: int) -> list[dict[str, Any]]:
    return [
        {
            "Subject": f"Follow up {n}",
            "WhatId": make_id("006", n + 1),
            "WhoId": make_id("003", n + 1),
            "ActivityDate": dt.date(2024, n % 12 + 1, n % 28 + 1),
            "Status": STATUSES[n % len(STATUSES)],
            "Priority": "Normal",
        }
        for n in range(count)
    ]


def generated_package(schema: OrgSchema, work: Path) -> str:
    """Generate the demo org's models into a temp package and make it importable."""
    name = "bench_generated_demo"
    files = package_files(schema, Source(name, "bench", "bench"), ["Opportunity", "Task"])
    write(work / name, files)
    sys.path.insert(0, str(work))
    importlib.invalidate_caches()
    return name


def best_of(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    """Fastest wall time of ``repeat`` runs, and how many records the run accepted."""
    best, accepted = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        accepted = run()
        best = min(best, time.perf_counter() - started)
    return best, accepted


def opportunity_runs(
    schema: OrgSchema, package: str, records: list[tuple[str, dict[str, Any]]]
) -> dict[str, Callable[[], int]]:
    models = object_models(schema, "Opportunity").update
    validator = record_validator(schema, "Opportunity")

    def raw() -> int:
        for _, values in records:
            RawOpportunityUpdate.model_validate(values).model_dump(mode="json", exclude_unset=True)
        return len(records)

    def models_only() -> int:
        for _, values in records:
            models.model_validate(values).model_dump(mode="json", exclude_unset=True, by_alias=True)
        return len(records)

    def runtime() -> int:
        return sum(validate_update(schema, "Opportunity", i, v).ok for i, v in records)

    def generated() -> int:
        return sum(validate_update(package, "Opportunity", i, v).ok for i, v in records)

    def direct() -> int:
        return sum(validator.update(i, v).ok for i, v in records)

    return {
        "raw pydantic (baseline)": raw,
        "sfschema models only": models_only,
        "validate_update, run-time models": runtime,
        "validate_update, generated models": generated,
        "record_validator().update": direct,
    }


def task_runs(
    schema: OrgSchema, package: str, records: list[dict[str, Any]]
) -> dict[str, Callable[[], int]]:
    models = object_models(schema, "Task").create
    validator = record_validator(schema, "Task")

    def raw() -> int:
        for values in records:
            RawTaskCreate.model_validate(values).model_dump(mode="json", exclude_unset=True)
        return len(records)

    def models_only() -> int:
        for values in records:
            models.model_validate(values).model_dump(mode="json", exclude_unset=True, by_alias=True)
        return len(records)

    def runtime() -> int:
        return sum(validate_create(schema, "Task", v).ok for v in records)

    def generated() -> int:
        return sum(validate_create(package, "Task", v).ok for v in records)

    def direct() -> int:
        return sum(validator.create(v).ok for v in records)

    return {
        "raw pydantic (baseline)": raw,
        "sfschema models only": models_only,
        "validate_create, run-time models": runtime,
        "validate_create, generated models": generated,
        "record_validator().create": direct,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    schema = OrgSchema.demo()
    table = Table(
        title=f"pre-flight validation, {args.records:,} valid records, best of "
        f"{args.repeat}, one core"
    )
    columns = ("workload", "variant", "records/s", "µs/record", "accepted", "vs raw", "vs models")
    for column in columns:
        table.add_column(column, justify="right" if column != "variant" else "left")
    with tempfile.TemporaryDirectory() as tmp:
        package = generated_package(schema, Path(tmp))
        workloads = [
            (
                "Opportunity update",
                opportunity_runs(schema, package, opportunity_updates(args.records)),
            ),
            ("Task create", task_runs(schema, package, task_creates(args.records))),
        ]
        for workload, runs in workloads:
            timings = {label: best_of(args.repeat, run) for label, run in runs.items()}
            baseline = timings["raw pydantic (baseline)"][0]
            models_only = timings["sfschema models only"][0]
            for label, (seconds, accepted) in timings.items():
                table.add_row(
                    workload,
                    label,
                    f"{args.records / seconds:,.0f}",
                    f"{seconds / args.records * 1e6:.2f}",
                    f"{accepted:,}",
                    f"{seconds / baseline:.2f}x",
                    f"{seconds / models_only:.2f}x",
                )
            table.add_section()
    Console(width=130).print(table)


if __name__ == "__main__":
    main()
