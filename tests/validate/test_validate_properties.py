"""Properties (hypothesis): run-time models and generated models give identical reports over every
real describe; arbitrary JSON never escapes as anything but a report; bad describes are
DescribeErrors."""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import json
import re
import shutil
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from codegen.build import generated_models, object_models
from codegen.output import package_files, write
from codegen.plan import Source
from sfschema.describe.snapshot import SnapshotDir
from sfschema.errors import DescribeError, RecordValidationError
from sfschema.ids import make_id, to15
from sfschema.runtime.meta import FieldMeta, ObjectMeta
from sfschema.runtime.payload import payload_writer
from sfschema.schema import OrgSchema
from sfschema.validate import (
    ValidationReport,
    ensure_valid_update,
    record_validator,
    validate_create,
    validate_update,
)
from tests.conftest import REAL, load_json

SOURCES = sorted(path for path in (REAL / "describe").iterdir() if path.is_dir())
REAL_OBJECTS = [
    (source.name, load_json(path)["name"])
    for source in SOURCES
    for path in sorted(source.glob("*.json"))
    if path.stem != "_global"
]
STANDARD_PREFIXES = ["001", "003", "006", "00Q", "00T", "005", "012", "500", "701"]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)


class Generated:
    """Run-time schemas and generated packages (imported from a tmp dir) for each real source."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.schemas: dict[str, OrgSchema] = {}
        self.packages: dict[str, str] = {}
        for source in SOURCES:
            snapshot = SnapshotDir(root / "snapshots" / source.name)
            (snapshot.root / "sobjects").mkdir(parents=True)
            for path in source.glob("*.json"):
                if path.stem == "_global":
                    snapshot.write_global(load_json(path))
                else:
                    shutil.copy(path, snapshot.root / "sobjects" / path.name)
            schema = OrgSchema.from_snapshot(snapshot.root)
            package = "realgen_" + re.sub(r"\W", "_", source.name)
            write(root / "packages" / package, package_files(schema, Source(package, "x")))
            self.schemas[source.name] = schema
            self.packages[source.name] = package


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    built = Generated(tmp_path_factory.mktemp("differential"))
    sys.path.insert(0, str(built.root / "packages"))
    importlib.invalidate_caches()
    try:
        yield built
    finally:
        sys.path.remove(str(built.root / "packages"))
        for name in list(sys.modules):
            if name.startswith("realgen_"):
                del sys.modules[name]


def _ids(prefixes: list[str]) -> st.SearchStrategy[str]:
    made = st.builds(make_id, st.sampled_from(prefixes), st.integers(0, 10**9))
    return made | made.map(to15) | made.map(str.lower) | made.map(lambda i: i[:15] + "ZZZ")


def typed_values(described: FieldMeta) -> st.SearchStrategy[Any]:
    """Plausible values for a field (valid ones and near misses) of its describe type."""
    kind = described.type
    values = list(described.values)
    if kind in ("picklist", "multipicklist", "combobox") and values:
        one = st.sampled_from(values) | st.sampled_from(values).map(str.lower) | st.text(max_size=8)
        if kind == "multipicklist":
            return st.lists(one, max_size=4) | st.lists(one, max_size=4).map(";".join)
        return one
    if kind in ("reference", "id"):
        return _ids(sorted({*described.reference_prefixes, *STANDARD_PREFIXES}))
    if kind == "boolean":
        return st.booleans() | st.sampled_from(["true", 1, 0])
    if kind in ("int", "long"):
        return st.integers(-(10**10), 10**10)
    if kind in ("double", "currency", "percent"):
        return (
            st.decimals(allow_nan=False, allow_infinity=False, places=3, max_value=10**20)
            | st.floats(allow_nan=False, allow_infinity=False)
            | st.integers(-(10**19), 10**19).map(str)
        )
    if kind == "date":
        return st.dates() | st.dates().map(dt.date.isoformat) | st.datetimes()
    if kind == "datetime":
        aware = st.datetimes(timezones=st.just(dt.timezone(dt.timedelta(hours=2))))
        return aware | aware.map(dt.datetime.isoformat) | st.datetimes().map(dt.datetime.isoformat)
    return st.text(max_size=max(described.length, 1) + 3)


def payloads(meta: ObjectMeta) -> st.SearchStrategy[dict[str, Any]]:
    """field_values: mostly writable fields (the required ones often all there), some read-only
    fields, plus junk keys."""
    writable = [f for f in meta.fields if f.createable or f.updateable] or list(meta.fields)
    required = [f for f in meta.fields if f.required_on_create]
    chosen = st.builds(
        lambda base, extra, odd: {f.name: f for f in [*base, *extra, *odd]},
        st.sampled_from([required, []]),
        st.lists(st.sampled_from(writable), max_size=5),
        st.lists(st.sampled_from(meta.fields), max_size=1),
    )
    known = chosen.flatmap(
        lambda fields: st.fixed_dictionaries(
            {name: typed_values(f) | json_values for name, f in fields.items()}
        )
    )
    junk = st.dictionaries(st.text(max_size=12), json_values, max_size=1)
    return st.builds(lambda a, b: {**b, **a}, known, junk)


@pytest.mark.parametrize(("source", "object_name"), REAL_OBJECTS)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_run_time_and_generated_models_give_identical_reports(
    generated: Generated, source: str, object_name: str, data: st.DataObject
) -> None:
    schema = generated.schemas[source]
    package = generated.packages[source]
    meta = record_validator(schema, object_name).meta
    values = data.draw(payloads(meta), label="field_values")
    record_type = data.draw(
        st.none() | st.sampled_from([rt.developer_name for rt in meta.record_types] + ["Nope"]),
        label="record_type",
    )
    strict = data.draw(st.booleans(), label="strict")
    record_id = make_id(meta.key_prefix or "a00", 42)
    runtime = validate_update(schema, object_name, record_id, values, record_type, strict)
    from_package = validate_update(package, object_name, record_id, values, record_type, strict)
    assert from_package == runtime
    runtime_create = validate_create(schema, object_name, values, record_type, strict)
    assert validate_create(package, object_name, values, record_type, strict) == runtime_create
    event("create ok" if runtime_create.ok else "create rejected")
    event("update ok" if runtime.ok else "update rejected")
    for report in (runtime, runtime_create):
        json.dumps(report.to_json(), allow_nan=False)
        if report.ok:
            _assert_payload_is_ready(meta, report)


@pytest.mark.parametrize(("source", "object_name"), REAL_OBJECTS)
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_payload_writer_equals_pydantic_json_dump(
    generated: Generated, source: str, object_name: str, data: st.DataObject
) -> None:
    """The validator's payload (PayloadWriter) is model_dump(mode="json", exclude_unset=True,
    by_alias=True), for run-time and generated models of every real describe, in input order."""
    for models in (
        object_models(generated.schemas[source], object_name),
        generated_models(generated.packages[source], object_name),
    ):
        for model in (models.create, models.update):
            model.model_rebuild()
            fields = [
                models.meta.field(info.alias if isinstance(info.alias, str) else name)
                for name, info in model.model_fields.items()
            ]
            chosen = data.draw(st.lists(st.sampled_from(fields), unique_by=lambda f: f.name))
            values = {f.name: data.draw(typed_values(f), label=f.name) for f in chosen}
            try:
                record = model.model_validate(values)
            except ValidationError:
                event("values refused")
                continue
            event("values accepted")
            written = payload_writer(model)(record, values)
            assert written == record.model_dump(mode="json", exclude_unset=True, by_alias=True)
            assert list(written) == list(values)


def _assert_payload_is_ready(meta: ObjectMeta, report: ValidationReport) -> None:
    assert json.loads(json.dumps(report.payload)) == report.payload
    for name, value in report.payload.items():
        described = meta.field(name)
        assert described is not None and described.name == name
        if described.type == "reference" and value is not None:
            assert len(value) == 18


@pytest.fixture(scope="module")
def demo() -> OrgSchema:
    return OrgSchema.demo()


@settings(max_examples=150, deadline=None)
@given(
    object_name=st.sampled_from(["Task", "Opportunity", "Invoice__c", "Account"]),
    values=json_values | st.dictionaries(st.text(max_size=15), json_values, max_size=6),
    record_id=json_values,
    record_type=st.none() | st.text(max_size=20),
    strict=st.booleans(),
)
def test_arbitrary_json_gives_a_report_never_an_exception(
    demo: OrgSchema,
    object_name: str,
    values: Any,
    record_id: Any,
    record_type: str | None,
    strict: bool,
) -> None:
    for report in (
        validate_create(demo, object_name, values, record_type, strict),
        validate_update(demo, object_name, record_id, values, record_type, strict),
    ):
        assert isinstance(report, ValidationReport)
        assert report.ok == (report.errors == ())
        json.dumps(report.to_json(), allow_nan=False)
        assert str(report).startswith(object_name)
    try:
        ensure_valid_update(demo, object_name, record_id, values, record_type, strict)
    except RecordValidationError as exc:
        assert exc.report.errors


@settings(max_examples=100, deadline=None)
@given(
    values=st.dictionaries(
        st.sampled_from(
            ["Subject", "WhatId", "WhoId", "ActivityDate", "Status", "Priority", "OwnerId"]
        ),
        json_values
        | st.decimals(allow_nan=False, allow_infinity=False)
        | st.dates()
        | st.datetimes(),
        max_size=7,
    )
)
def test_python_values_on_known_fields_give_a_report(demo: OrgSchema, values: Any) -> None:
    report = validate_create(demo, "Task", values)
    json.dumps(report.to_json(), allow_nan=False)
    if report.ok:
        json.dumps(report.payload)


INVOICE = load_json(
    Path(__file__).parents[2] / "sfschema/emulator/demo_org/sobjects/Invoice__c.json"
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON tree (dict keys and list indexes)."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, (*prefix, index))
    return found


INVOICE_PATHS = _paths(INVOICE)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_bad_describe_data_is_a_describe_error_or_still_validates(data: st.DataObject) -> None:
    payload = copy.deepcopy(INVOICE)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        path = data.draw(st.sampled_from(INVOICE_PATHS), label="path")
        node = payload
        try:
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = data.draw(json_values, label="value")
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation replaced part of this path
    schema = OrgSchema({"Invoice__c": payload, "Account": {"name": "Account", "keyPrefix": "001"}})
    values = {"Account__c": make_id("001", 1), "Status__c": "Draft", "Amount__c": Decimal("1.5")}
    try:
        report = validate_create(schema, "Invoice__c", values)
    except DescribeError:
        event("DescribeError")
        return
    event("report ok" if report.ok else "report with errors")
    assert isinstance(report, ValidationReport)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fast_and_slow_paths_agree(demo: OrgSchema, data: st.DataObject) -> None:
    """A key spelt in another case forces the slow path; the report must not change."""
    object_name = data.draw(
        st.sampled_from(["Task", "Opportunity", "Invoice__c", "Account", "Lead"])
    )
    meta = record_validator(demo, object_name).meta
    writable = [f for f in meta.fields if f.createable or f.updateable]
    fields = data.draw(st.lists(st.sampled_from(writable), min_size=1, unique_by=lambda f: f.name))
    values = {f.name: data.draw(typed_values(f), label=f.name) for f in fields}
    renamed = {name.lower() if i == 0 else name: v for i, (name, v) in enumerate(values.items())}
    record_type = data.draw(st.none() | st.sampled_from([rt.name for rt in meta.record_types]))
    record_id = make_id(meta.key_prefix or "a00", 7)
    for fast, slow in (
        (
            validate_update(demo, object_name, record_id, values, record_type),
            validate_update(demo, object_name, record_id, renamed, record_type),
        ),
        (
            validate_create(demo, object_name, values, record_type, strict=True),
            validate_create(demo, object_name, renamed, record_type, strict=True),
        ),
    ):
        assert slow == fast
        assert list(slow.payload.items()) == list(fast.payload.items())  # the order too
        event("valid" if fast.ok else "rejected")
