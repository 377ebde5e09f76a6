"""Workflows: load an action file, check it, run it through the client, one result per item.

Every item is rendered and validated before anything is sent; invalid items are never sent
(``rejected``, with their report). The valid writes of a step go out through the client's batched
writes (sObject Collections in ``/composite``: up to 1,000 records per API call), so 450 Task
creates cost one call.

>>> from sfschema.actions import load_actions
>>> workflow = load_actions("examples/post_meeting_tasks.yaml")
>>> [step.name for step in workflow.steps]
['create_tasks']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sfschema import ids
from sfschema.actions.liquid import ActionEnvironment, ParamTemplate, TemplateError
from sfschema.actions.spec import parse_steps, read_action_file
from sfschema.actions.steps import TASK_FIELDS, Item, RenderedStep, Step, build_record
from sfschema.salesforce_errors import (
    INVALID_FIELD,
    INVALID_FIELD_FOR_INSERT_UPDATE,
    WireError,
)
from sfschema.schema import OrgSchema
from sfschema.soql import check as check_soql
from sfschema.validate import ValidationReport, record_validator
from sfschema.validate.report import json_safe

if TYPE_CHECKING:
    from sfschema.client import Client

#: Outcomes of an item: written, refused before sending, refused by Salesforce, not known
#: (sent, but no answer came), or not sent because the run was a dry run; query steps "queried".
OUTCOMES = ("done", "rejected", "failed", "unknown", "dry-run", "queried")
_CLIENT_OUTCOME = {
    "succeeded": "done",
    "failed": "failed",
    "unknown": "unknown",
    "rejected": "rejected",
}
_VALUE_FREE_CODES = frozenset({INVALID_FIELD, INVALID_FIELD_FOR_INSERT_UPDATE})
_BOUND = "\x00bound-by-step:{name}"


@dataclass
class ItemResult:
    """One item of one step: what was rendered, the report, and what happened to it."""

    step: str
    index: int
    action: str
    object_name: str | None
    params: dict[str, Any]
    report: ValidationReport | None
    outcome: str
    record_id: str | None = None
    created: bool | None = None
    errors: tuple[WireError, ...] = ()
    rows: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "index": self.index,
            "action": self.action,
            "object": self.object_name,
            "params": json_safe(self.params),
            "report": self.report.to_json() if self.report is not None else None,
            "outcome": self.outcome,
            "id": self.record_id,
            "created": self.created,
            "errors": [error.entry() for error in self.errors],
            "rows": self.rows,
        }


@dataclass
class RunResult:
    """Every item of every step, in order, and the API calls the run spent."""

    items: list[ItemResult] = field(default_factory=list)
    api_calls: int = 0
    #: of ``api_calls``, those spent describing the objects (none once the cache is fresh)
    describe_calls: int = 0
    outputs: dict[str, Any] = field(default_factory=dict)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)

    @property
    def ok(self) -> bool:
        return not any(item.outcome in ("rejected", "failed", "unknown") for item in self.items)

    def summary(self) -> str:
        parts = [f"{self.count(o)} {o}" for o in ("done", "rejected", "failed", "unknown")]
        if self.count("dry-run"):
            parts.append(f"{self.count('dry-run')} not sent (dry run)")
        return ", ".join(parts) + f"; {self.api_calls} API calls ({self.describe_calls} describe)"

    def to_json(self) -> dict[str, Any]:
        return {
            "items": [item.to_json() for item in self.items],
            "api_calls": self.api_calls,
            "describe_calls": self.describe_calls,
            "summary": {o: self.count(o) for o in OUTCOMES},
        }


@dataclass(frozen=True)
class StaticCheck:
    """What ``--check`` finds before any data exists: paths read, and problems of static parts."""

    step: str
    paths: dict[str, list[str]]
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Workflow:
    """The steps of an action file, compiled; run them with ``run``."""

    steps: tuple[Step, ...]
    env: ActionEnvironment

    def objects(self) -> list[str]:
        return sorted({step.object_name for step in self.steps if step.object_name})

    def check(self, schema: OrgSchema) -> list[StaticCheck]:
        """Each step's context paths, and every static part validated against the schema."""
        return [
            StaticCheck(s.name, s.paths(), tuple(_static_problems(s, schema))) for s in self.steps
        ]

    def run(
        self,
        client: Client,
        context: Any,
        *,
        dry_run: bool = False,
        today: datetime | None = None,
    ) -> RunResult:
        """Render, validate and (unless ``dry_run``) send every step in order.

        Query steps run in a dry run too (they read, and later steps may need their rows).
        """
        result = RunResult()
        start = client.api_calls
        schema = client.describe(*self.objects()) if self.objects() else None
        result.describe_calls = client.api_calls - start
        now = today or datetime.now(self.env.zone)
        for step in self.steps:
            rendered = step.render(context, result.outputs)
            if step.spec.action.name == "query":
                result.outputs[step.name] = _run_query(rendered, client, result)
                continue
            assert schema is not None
            rendered.validate(schema, now)
            result.outputs[step.name] = _send(rendered, client, result, dry_run)
        result.api_calls = client.api_calls - start
        return result


def load_actions(path: str | Path, *, time_zone: str = "UTC") -> Workflow:
    """The workflow of a YAML/JSON action file (ActionFileError/TemplateError when it is wrong)."""
    env = ActionEnvironment(time_zone)
    return Workflow(tuple(Step.compile(spec, env) for spec in read_action_file(path)), env)


def workflow_from_data(data: Any, *, time_zone: str = "UTC", source: str = "<data>") -> Workflow:
    """The workflow of already-parsed action data (a step, or ``{"steps": [...]}``)."""
    env = ActionEnvironment(time_zone)
    return Workflow(tuple(Step.compile(spec, env) for spec in parse_steps(data, source)), env)


def _run_query(rendered: RenderedStep, client: Client, result: RunResult) -> dict[str, Any]:
    step = rendered.step
    records: list[dict[str, Any]] = []
    for item in rendered.items:
        binds = item.params.get("binds") or {}
        if not isinstance(binds, Mapping):
            raise TemplateError(f"{step.name}.params.binds: must be a mapping of name → value")
        limit = item.params.get("max_records")
        query = client.prepare(item.params["soql"], binds)  # values bound through literal()
        rows = list(client.query(query, max_records=limit))
        records.extend(rows)
        result.items.append(
            ItemResult(
                step.name, item.index, "query", None, item.params, None, "queried", rows=len(rows)
            )
        )
    return {"records": records, "totalSize": len(records)}


def _send(
    rendered: RenderedStep, client: Client, result: RunResult, dry_run: bool
) -> dict[str, Any]:
    step = rendered.step
    object_name = step.object_name
    assert object_name is not None
    valid = [item for item in rendered.items if item.ok]
    sent: dict[int, Any] = {}
    if valid and not dry_run:
        updates = [item for item in valid if item.record_id is not None]
        creates = [item for item in valid if item.record_id is None]
        if creates:
            answers = client.create_many(object_name, [_payload(i) for i in creates], strict=True)
            sent.update(zip((i.index for i in creates), answers, strict=True))
        if updates:
            records = [{"Id": _payload_id(i), **_payload(i)} for i in updates]
            answers = client.update_many(object_name, records, strict=True)
            sent.update(zip((i.index for i in updates), answers, strict=True))
    output: list[dict[str, Any]] = []
    for item in rendered.items:
        entry = _result_for(step, item, sent.get(item.index), dry_run)
        result.items.append(entry)
        output.append({"Id": entry.record_id, "outcome": entry.outcome, "index": item.index})
    return {"records": output, "ids": [o["Id"] for o in output if o["outcome"] == "done"]}


def _result_for(step: Step, item: Item, answer: Any, dry_run: bool) -> ItemResult:
    base = ItemResult(
        step.name, item.index, step.spec.action.name, step.object_name, item.params, item.report, ""
    )
    if not item.ok:
        base.outcome = "rejected"
    elif answer is None:
        base.outcome = "dry-run" if dry_run else "unknown"
        base.record_id = item.record_id and _payload_id(item)
    else:
        base.outcome = _CLIENT_OUTCOME.get(answer.outcome, answer.outcome)
        base.record_id = answer.id or (item.record_id and _payload_id(item))
        base.created = answer.created
        base.errors = tuple(answer.errors)
    return base


def _payload(item: Item) -> dict[str, Any]:
    assert item.report is not None
    return {k: v for k, v in item.report.payload.items() if k != "Id"}


def _payload_id(item: Item) -> str:
    assert item.record_id is not None
    return ids.to18(item.record_id) if ids.is_valid(item.record_id) else item.record_id


def _static_problems(step: Step, schema: OrgSchema) -> list[str]:
    """Problems that hold whatever the context: unknown fields, bad static values, bad SOQL."""
    action = step.spec.action.name
    if action == "query":
        binds = step.templates.get("binds") or {}
        soql = step.spec.params["soql"]
        diagnostics = check_soql(soql, schema, bind_hint=_BOUND)
        bound = {_BOUND.format(name=name) for name in binds}
        return [
            f"{step.name}.params.soql: {d.code}: {d.message}"
            for d in diagnostics
            if d.is_error and d.suggestion not in bound
        ]
    object_name = step.object_name
    assert object_name is not None
    if not schema.has_object(object_name):
        return [f"{step.name}: object {object_name!r} is not in the org"]
    static = {key: _static_value(value) for key, value in step.templates.items()}
    record_id, values = build_record(step, static, schema, None)
    templated = {name for name, value in values.items() if value is _TEMPLATED}
    if step.spec.action.name in ("create_task", "log_activity"):
        templated |= {
            TASK_FIELDS[p] for p, v in static.items() if v is _TEMPLATED and p in TASK_FIELDS
        }
    values = {name: (None if value is _TEMPLATED else value) for name, value in values.items()}
    validator = record_validator(schema, object_name)
    if record_id is None:
        report = validator.create(values, None, True)
    else:
        if record_id == str(_TEMPLATED) or not ids.is_valid(record_id):
            prefix = schema.sobject(object_name).keyPrefix or "000"
            record_id = ids.make_id(prefix, 1)
            templated.add("Id")
        report = validator.update(record_id, values, None, True)
    return [
        f"{step.name}: {issue.field}: {issue.code}: {issue.message}"
        for issue in report.errors
        if issue.field not in templated or issue.code in _VALUE_FREE_CODES
    ]


class _Templated:
    def __repr__(self) -> str:
        return "<templated>"

    def __str__(self) -> str:
        return "<templated>"


_TEMPLATED: Any = _Templated()


def _static_value(value: Any) -> Any:
    if isinstance(value, ParamTemplate):
        return value.source if "{{" not in value.source and "{%" not in value.source else _TEMPLATED
    if isinstance(value, Mapping):
        return {key: _static_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_static_value(item) for item in value]
    return value
