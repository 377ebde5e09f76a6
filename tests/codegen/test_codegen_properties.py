"""Properties over generated describes: any field mix plans, renders, lays out and builds."""

from __future__ import annotations

import json
import random
import string
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.build import object_models
from codegen.output import package_files, write
from codegen.plan import Source, plan_object
from codegen.pysource import too_long
from codegen.render import render_object
from codegen.typemap import TYPE_MAP
from sfschema.schema import OrgSchema
from tests.support.codegen_helpers import BIN, PYPROJECT, REAL, run_tool

# Real field payloads, one per describe type seen in the fixtures, to vary from.
TEMPLATES: dict[str, dict[str, Any]] = {}
for _path in sorted(REAL.glob("*/*.json")):
    if _path.stem != "_global":
        for _field in json.loads(_path.read_text())["fields"]:
            TEMPLATES.setdefault(_field["type"], _field)
NAME_CHARS = string.ascii_letters + string.digits + "_"


def _name(rng: random.Random) -> str:
    words = ["class", "None", "json", "copy", "t", "sf", "model_config", "Id", "Name", "from"]
    if rng.random() < 0.2:
        return rng.choice(words)
    body = "".join(rng.choice(NAME_CHARS) for _ in range(rng.randrange(1, 30)))
    prefix = rng.choice(["", "", "ns__"])
    return f"{prefix}X{body}" + rng.choice(["", "__c", "__s"])


def _value(rng: random.Random) -> str:
    alphabet = string.printable + "éü✓漢\"'\\"
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40)))


def random_describe(rng: random.Random, name: str, prefix: str) -> dict[str, Any]:
    fields: list[dict[str, Any]] = [dict(TEMPLATES["id"], name="Id")]
    seen = {"id"}
    for _ in range(rng.randrange(0, 40)):
        kind = rng.choice(sorted(TYPE_MAP))
        field = dict(TEMPLATES.get(kind, TEMPLATES["string"]))
        field_name = _name(rng)
        if field_name.lower() in seen:
            continue
        seen.add(field_name.lower())
        values = list(dict.fromkeys(_value(rng) for _ in range(rng.randrange(0, 6))))
        field.update(
            name=field_name,
            type=kind,
            label=_value(rng),
            length=rng.choice([0, 5, 80, 255, 32000]),
            precision=rng.randrange(0, 19),
            digits=rng.randrange(0, 19),
            nillable=rng.random() < 0.5,
            createable=rng.random() < 0.6,
            updateable=rng.random() < 0.6,
            defaultedOnCreate=rng.random() < 0.3,
            calculated=rng.random() < 0.1,
            autoNumber=rng.random() < 0.05,
            restrictedPicklist=rng.random() < 0.5,
            dependentPicklist=False,
            picklistValues=[
                {"active": True, "defaultValue": False, "label": v, "validFor": None, "value": v}
                for v in values
            ],
            referenceTo=rng.sample(["Account", "Contact", name, "Nowhere__c"], rng.randrange(3)),
            relationshipName=rng.choice([None, _name(rng)]),
        )
        field["scale"] = rng.randrange(0, field["precision"] + 1)
        fields.append(field)
    return {"name": name, "label": _value(rng), "keyPrefix": prefix, "fields": fields}


SEEDS = st.integers(min_value=0, max_value=2**32)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SEEDS)
def test_any_describe_builds_models_that_follow_the_rules(seed: int) -> None:
    rng = random.Random(seed)
    raw = random_describe(rng, "Random__c", "a0Z")
    schema = OrgSchema({"Random__c": raw, "Account": {"name": "Account", "keyPrefix": "001"}})
    plan = plan_object(schema, "Random__c", Source("t", "t"))
    source = render_object(plan)
    assert not any(too_long(line) for line in source.splitlines()) or source.startswith(
        "# ruff: noqa: E501\n"
    )
    models = object_models(schema, "Random__c")
    described = schema.sobject("Random__c").fields
    by_alias = {f.alias or name: f for name, f in models.create.model_fields.items()}
    writable = {"address", "location"}
    assert set(by_alias) == {
        f.name
        for f in described
        if f.createable and not f.calculated and not f.autoNumber and f.type not in writable
    }
    required = {alias for alias, info in by_alias.items() if info.is_required()}
    assert required == {f.name for f in described if f.name in by_alias and f.required_on_create}
    updates = {f.alias or name for name, f in models.update.model_fields.items()}
    assert updates == {
        f.name
        for f in described
        if f.updateable and not f.calculated and not f.autoNumber and f.type not in writable
    }
    assert not any(info.is_required() for info in models.update.model_fields.values())
    for model in (models.read, models.create, models.update):
        model.model_rebuild(force=True)
    assert models.read.model_validate({}).model_dump(exclude_unset=True) == {}


def test_random_packages_pass_ruff(tmp_path: Path) -> None:
    rng = random.Random(20240131)
    describes = [random_describe(rng, f"R{i:02d}__c", f"a{i:02d}") for i in range(40)]
    schema = OrgSchema({d["name"]: d for d in describes})
    write(tmp_path / "random_org", package_files(schema, Source("random", "t")))
    check = run_tool(BIN / "ruff", "check", "--config", PYPROJECT, tmp_path / "random_org")
    assert check.returncode == 0, check.stdout
    fmt = run_tool(BIN / "ruff", "format", "--check", "--config", PYPROJECT, tmp_path)
    assert fmt.returncode == 0, fmt.stdout
