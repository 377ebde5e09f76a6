"""Codegen at scale: generate a 1,000-object org, import one object, validate 50,000 updates.

- generation: ``sfschema generate`` work for a synthetic org of 1,000 objects (real describes
  cloned under new names), against reading and parsing the same describes;
- output size;
- import of one object's models in a fresh interpreter that has imported pydantic's BaseModel
  (median of 7 runs, bytecode cached), against that pydantic import itself; "+ first
  validation" adds building the deferred schema (and pydantic's one-time plugin lookup);
- run-time models: ``object_models(schema, "Opportunity")`` on a fresh schema;
- validation of 50,000 Opportunity updates with generated/demo's ``OpportunityUpdate``, the
  run-time model and a hand-written pydantic model of the same shape (same fields, plain pydantic
  constraints: max_length, Literal, Decimal digits, an id pattern without checksum or prefix).

Targets: generation < 10 s, import of one object < 50 ms, validation ≤ 1.5x the hand-written model.

Run: ``.venv/bin/python bench/codegen_scale.py [--objects 1000] [--records 50000]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from codegen.build import object_models
from codegen.output import package_files, write
from codegen.plan import source_of
from generated.demo import OpportunityUpdate
from sfschema import ids, runtime
from sfschema.schema import OrgSchema
from tests.support.synthetic import TEMPLATES, synthetic_org

ROOT = Path(__file__).resolve().parents[1]
ID = r"^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$"


class HandWrittenOpportunityUpdate(BaseModel):
    """What a careful developer would write by hand for the same 17 updateable fields."""

    model_config = ConfigDict(extra="forbid")

    AccountId: str | None = Field(None, pattern=ID)
    RecordTypeId: str | None = Field(None, pattern=ID)
    IsPrivate: bool = Field(None, strict=True)
    Name: str = Field(None, max_length=120)
    Description: str | None = Field(None, max_length=32000)
    StageName: str = Field(None, max_length=255)
    Amount: Decimal | None = Field(None, max_digits=18, decimal_places=2)
    Probability: Decimal | None = Field(None, max_digits=3, decimal_places=0)
    TotalOpportunityQuantity: Decimal | None = Field(None, max_digits=18, decimal_places=2)
    CloseDate: dt.date = Field(None, strict=True)
    Type: str | None = Field(None, max_length=255)
    NextStep: str | None = Field(None, max_length=255)
    LeadSource: str | None = Field(None, max_length=255)
    ForecastCategoryName: Literal["Omitted", "Pipeline", "Best Case", "Commit", "Closed"] | None = (
        None
    )
    CampaignId: str | None = Field(None, pattern=ID)
    Pricebook2Id: str | None = Field(None, pattern=ID)
    OwnerId: str = Field(None, pattern=ID)


STAGES = ["Prospecting", "Qualification", "Proposal/Price Quote", "Closed Won", "Closed Lost"]
FORECASTS = ["Omitted", "Pipeline", "Best Case", "Commit", "Closed"]


def updates(count: int, distinct_ids: int | None, seed: int = 7) -> list[dict[str, Any]]:
    """Valid update payloads, 3-7 fields each, as a workflow would send them."""
    rng = random.Random(seed)
    serial = iter(range(1, 10**9))

    def account() -> str:
        number = rng.randrange(distinct_ids) if distinct_ids else next(serial)
        return ids.make_id("001", number)

    makers: dict[str, Callable[[], Any]] = {
        "StageName": lambda: rng.choice(STAGES),
        "Amount": lambda: Decimal(rng.randrange(1, 10**8)) / 100,
        "CloseDate": lambda: dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700)),
        "Probability": lambda: rng.randrange(0, 101),
        "NextStep": lambda: rng.choice(["Call back", "Send quote", "Demo"]),
        "Description": lambda: "Notes " * rng.randrange(1, 20),
        "AccountId": account,
        "ForecastCategoryName": lambda: rng.choice(FORECASTS),
        "IsPrivate": lambda: rng.random() < 0.5,
        "Name": lambda: f"Deal {rng.randrange(10**6)}",
    }
    names = sorted(makers)
    return [
        {name: makers[name]() for name in rng.sample(names, rng.randrange(3, 8))}
        for _ in range(count)
    ]


def best_of(
    runs: int, work: Callable[[], object], before: Callable[[], object] | None = None
) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def validate_all(model: type[BaseModel], payloads: list[dict[str, Any]]) -> Callable[[], None]:
    validate = model.model_validate

    def run() -> None:
        for item in payloads:
            validate(item)

    return run


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
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str, str]] = []

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        org = synthetic_org(work / "snapshot", args.objects)

        def parse_only() -> None:
            gc.disable()  # as generation does (see codegen.output)
            schema = OrgSchema.from_snapshot(org)
            for name in schema.object_names:
                schema.sobject(name)
            gc.enable()

        baseline = best_of(1, parse_only)
        out = work / "pkg" / "org1000"
        started = time.perf_counter()
        schema = OrgSchema.from_snapshot(org)
        files = package_files(schema, source_of(schema, org, "org1000"))
        write(out, files)
        generation = time.perf_counter() - started
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

    runtime_update = object_models(OrgSchema.from_snapshot(demo_dir), "Opportunity").update
    for label, distinct in (("ids from a pool of 1,000", 1000), ("every id new", None)):
        payloads = updates(args.records, distinct)
        # Every payload is valid for all three models (checked once, outside the timing).
        for model in (OpportunityUpdate, runtime_update, HandWrittenOpportunityUpdate):
            validate_all(model, payloads)()
        clear = runtime._id18.cache_clear if distinct is None else None
        hand = best_of(5, validate_all(HandWrittenOpportunityUpdate, payloads))
        for model_label, model in (
            ("generated/demo OpportunityUpdate", OpportunityUpdate),
            ("run-time object_models(...).update", runtime_update),
        ):
            seconds = best_of(5, validate_all(model, payloads), before=clear)
            rows.append(
                (
                    f"validate {args.records:,} updates, {label}: {model_label}",
                    f"{seconds:.3f} s ({args.records / seconds / 1000:.0f}k/s)",
                    f"{hand:.3f} s hand-written ({args.records / hand / 1000:.0f}k/s)",
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
