"""Steps: compiled templates, rendered per item, turned into records and validated.

``Step.render(context)`` renders every parameter for every item (``for_each``) into native values
and the record the action writes; ``RenderedStep.validate(schema)`` checks each record against the
org, strictly (an open picklist value outside the list is an error with its suggestion; ids checked
for length, checksum and key prefix against the field's targets; a 15-character id is normalised
with a warning; read-only and formula fields refused with the reason). Nothing is sent here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sfschema import ids
from sfschema.actions.liquid import ActionEnvironment, ParamTemplate, TemplateError
from sfschema.actions.spec import StepSpec
from sfschema.salesforce_errors import ID_NORMALISED
from sfschema.schema import OrgSchema
from sfschema.validate import ValidationIssue, ValidationReport, record_validator

#: The named parameters that become fields, per Task action (field_values may add any other).
TASK_FIELDS = {
    "subject": "Subject",
    "description": "Description",
    "what_id": "WhatId",
    "who_id": "WhoId",
    "activity_date": "ActivityDate",
    "priority": "Priority",
    "status": "Status",
    "owner_id": "OwnerId",
    "task_subtype": "TaskSubtype",
}
#: Tasks are created as calls unless the step says otherwise (the product's default).
DEFAULT_TASK_SUBTYPE = "Call"
#: Task Status values that mean "done", in order of preference, for log_activity.
CLOSED_TASK_STATUSES = ("Completed", "Closed", "Done")
_MAX_ITEMS = 100_000


@dataclass
class Item:
    """One item of a step: its rendered parameters, the record to write and the report."""

    index: int
    params: dict[str, Any]
    record_id: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    report: ValidationReport | None = None

    @property
    def ok(self) -> bool:
        return self.report is not None and self.report.ok


@dataclass(frozen=True)
class Step:
    """A step ready to render: its spec and every string parameter compiled as Liquid."""

    spec: StepSpec
    env: ActionEnvironment
    templates: Mapping[str, Any]
    for_each: ParamTemplate | None

    @classmethod
    def compile(cls, spec: StepSpec, env: ActionEnvironment) -> Step:
        where = f"{spec.name}.params"
        templates = {
            key: _compile(value, env, f"{where}.{key}") for key, value in spec.params.items()
        }
        soql = spec.params.get("soql")
        if spec.action.name == "query" and (not isinstance(soql, str) or _is_template(soql)):
            raise TemplateError(
                f"{where}.soql: the query text is not a template; bind values as :name and give "
                "them in params.binds (they are escaped by type there)"
            )
        for_each = None
        if spec.for_each is not None:
            where_each = f"{spec.name}.for_each"
            if _is_template(spec.for_each):
                for_each = env.compile(spec.for_each, where_each)
            else:  # a bare expression: positions are reported in the text as written
                wrapped = env.compile("{{ " + spec.for_each + " }}", where_each)
                for_each = dataclasses.replace(
                    wrapped, source=spec.for_each, shift=wrapped.shift - len("{{ ")
                )
        return cls(spec, env, templates, for_each)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def object_name(self) -> str | None:
        return self.spec.object_name

    def paths(self) -> dict[str, list[str]]:
        """Every template's context paths, by where the template stands."""
        found: dict[str, list[str]] = {}
        if self.for_each is not None:
            found[self.for_each.where] = self.for_each.paths()
        for template in _templates(self.templates):
            found[template.where] = template.paths()
        return found

    def items_of(self, data: Mapping[str, Any]) -> list[Any] | None:
        """The for_each list (None without for_each); anything else is a TemplateError."""
        if self.for_each is None:
            return None
        value = self.for_each.render(data)
        if isinstance(value, Mapping) or not isinstance(value, Sequence) or isinstance(value, str):
            raise TemplateError(
                f"{self.for_each.where}: must yield a list, got {type(value).__name__}: "
                f"{str(value)[:80]!r}"
            )
        if len(value) > _MAX_ITEMS:
            raise TemplateError(f"{self.for_each.where}: more than {_MAX_ITEMS:,} items")
        return list(value)

    def render(self, context: Any, steps: Mapping[str, Any] | None = None) -> RenderedStep:
        """Render every item's parameters (a missing path is a TemplateError naming the item)."""
        if not isinstance(context, Mapping):
            raise TemplateError("the context must be a JSON object (read as json.…)")
        base = {"json": context, "steps": dict(steps or {})}
        items = self.items_of(base)
        rendered: list[Item] = []
        for index, item in enumerate(items if items is not None else [None]):
            data = base
            if items is not None:
                data = {**base, "json": {**context, "item": item, "index": index}}
            position = index if items is not None else None
            params = {key: _render(value, data, position) for key, value in self.templates.items()}
            rendered.append(Item(index, params))
        return RenderedStep(self, rendered)


@dataclass
class RenderedStep:
    """A step's items after rendering; ``validate`` fills in their records and reports."""

    step: Step
    items: list[Item]

    def validate(self, schema: OrgSchema, today: datetime | None = None) -> RenderedStep:
        """Build each item's record and validate it against the org (strict)."""
        if self.step.spec.action.name == "query":
            return self
        object_name = self.step.object_name
        assert object_name is not None  # every write action has its object (spec checks it)
        validator = record_validator(schema, object_name)
        for item in self.items:
            item.record_id, item.values = build_record(self.step, item.params, schema, today)
            values = unwrap_single_values(schema, object_name, item.values)
            if item.record_id is None:
                report = validator.create(values, None, True)
            else:
                report = validator.update(item.record_id, values, None, True)
            item.report = _with_id_warnings(report, schema, object_name, item)
        return self


def build_record(
    step: Step, params: Mapping[str, Any], schema: OrgSchema, today: datetime | None
) -> tuple[str | None, dict[str, Any]]:
    """(record id for an update or None for a create, field values) from rendered params."""
    action = step.spec.action.name
    given = params.get("field_values") or {}
    if not isinstance(given, Mapping):
        raise TemplateError(
            f"{step.name}.params.field_values: must be a mapping of field → value, got "
            f"{type(given).__name__}: {str(given)[:80]!r}"
        )
    field_values = dict(given)
    if action in ("update_opportunity", "update_record"):
        key = "opportunity_id" if action == "update_opportunity" else "record_id"
        return _text_id(_single(params[key])), field_values
    if action == "create_record":
        return None, field_values
    values: dict[str, Any] = {}
    for param, field_name in TASK_FIELDS.items():
        value = _single(params.get(param))
        if value is not None and value != "":
            values[field_name] = value
    values.setdefault("TaskSubtype", DEFAULT_TASK_SUBTYPE)
    if action == "log_activity":
        if "Status" not in values:
            values["Status"] = closed_task_status(schema)
        if "ActivityDate" not in values and today is not None:
            values["ActivityDate"] = today.date().isoformat()
    clashes = sorted(set(values) & set(field_values) - {"TaskSubtype"})
    if clashes:
        raise TemplateError(
            f"{step.name}.params.field_values: {clashes[0]} is set by its own parameter; "
            "give it once"
        )
    return None, {**values, **field_values}


def closed_task_status(schema: OrgSchema) -> str:
    """The Task Status value that closes a task in this org (Completed in a standard org)."""
    values = schema.picklist_values("Task", "Status")
    for wanted in CLOSED_TASK_STATUSES:
        for value in values:
            if value.casefold() == wanted.casefold():
                return value
    raise TemplateError(
        "log_activity: the org's Task Status has no closed value "
        f"({', '.join(CLOSED_TASK_STATUSES)}); give params.status"
    )


def unwrap_single_values(
    schema: OrgSchema, object_name: str, values: Mapping[str, Any]
) -> dict[str, Any]:
    """A one-element list (``first | map``) becomes its element where one value is expected."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, list) and len(value) == 1:
            described = schema.field(object_name, name)
            if described is None or described.type != "multipicklist":
                value = value[0]
        out[name] = value
    return out


def _with_id_warnings(
    report: ValidationReport, schema: OrgSchema, object_name: str, item: Item
) -> ValidationReport:
    """Add an ID_NORMALISED warning for every 15-character id the payload sends as 18."""
    notes: list[ValidationIssue] = []
    candidates = [("Id", item.record_id)] if item.record_id is not None else []
    candidates += list(item.values.items())
    for name, value in candidates:
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if isinstance(value, str) and len(value) == 15 and ids.is_valid(value):
            full = ids.to18(value)
            notes.append(
                ValidationIssue(
                    name,
                    ID_NORMALISED,
                    f"{name}: the 15-character id {value} is sent as {full}",
                    value,
                    None,
                    "18-character ids are safe in case-insensitive tools; send those",
                )
            )
    if not notes:
        return report
    return dataclasses.replace(report, warnings=(*report.warnings, *notes))


def _compile(value: Any, env: ActionEnvironment, where: str) -> Any:
    if isinstance(value, str):
        return env.compile(value, where)
    if isinstance(value, Mapping):
        return {str(key): _compile(item, env, f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [_compile(item, env, f"{where}[{i}]") for i, item in enumerate(value)]
    return value


def _render(value: Any, data: Mapping[str, Any], index: int | None) -> Any:
    if isinstance(value, ParamTemplate):
        return value.render(data, index)
    if isinstance(value, Mapping):
        return {key: _render(item, data, index) for key, item in value.items()}
    if isinstance(value, list):
        return [_render(item, data, index) for item in value]
    return value


def _templates(value: Any) -> list[ParamTemplate]:
    if isinstance(value, ParamTemplate):
        return [value]
    if isinstance(value, Mapping):
        return [t for item in value.values() for t in _templates(item)]
    if isinstance(value, list):
        return [t for item in value for t in _templates(item)]
    return []


def _is_template(text: str) -> bool:
    return "{{" in text or "{%" in text


def _single(value: Any) -> Any:
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _text_id(value: Any) -> str:
    return value if isinstance(value, str) else str(value)
