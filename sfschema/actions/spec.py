"""Action files: what each action takes, and loading YAML or JSON into checked steps.

An action file is one step (``action``, ``params``, optional ``for_each`` and ``object``) or a
workflow (``steps: [...]``, each step with a ``name`` later steps read as ``steps.<name>``).
Loading is strict: an unknown key or parameter, a missing required one, or a template that does
not parse is one error naming where it stands, so nothing runs half-configured.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sfschema.errors import SfschemaError
from sfschema.suggest import did_you_mean


class ActionFileError(SfschemaError):
    """An action file cannot be read or does not describe valid steps."""


@dataclass(frozen=True)
class ActionSpec:
    """The parameters one action takes."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    #: ``object`` is given at the step (generic record actions) or fixed by the action.
    object_name: str | None = None

    @property
    def params(self) -> tuple[str, ...]:
        return self.required + self.optional


_TASK_OPTIONAL = (
    "what_id",
    "who_id",
    "activity_date",
    "priority",
    "status",
    "owner_id",
    "task_subtype",
    "field_values",
)

#: Every action: the product's documented parameters (their names are the contract).
ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        ActionSpec("create_task", ("subject", "description"), _TASK_OPTIONAL, "Task"),
        ActionSpec("log_activity", ("subject",), ("description", *_TASK_OPTIONAL), "Task"),
        ActionSpec("update_opportunity", ("opportunity_id", "field_values"), (), "Opportunity"),
        ActionSpec("update_record", ("record_id", "field_values"), ()),
        ActionSpec("create_record", ("field_values",), ()),
        ActionSpec("query", ("soql",), ("binds", "max_records")),
    )
}
_GENERIC = frozenset({"update_record", "create_record"})
_STEP_KEYS = frozenset({"name", "action", "params", "for_each", "object", "description"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
#: Bounds on what a file may hold (a YAML alias bomb or a huge file is refused, not expanded).
MAX_FILE_BYTES = 1_000_000
MAX_NODES = 10_000
MAX_DEPTH = 20
MAX_STEPS = 100
_TOO_LARGE = f"too large or too deeply nested (at most {MAX_NODES:,} values, {MAX_DEPTH} levels)"


@dataclass(frozen=True)
class StepSpec:
    """One step as written in the file, checked for shape (templates are compiled later)."""

    name: str
    action: ActionSpec
    params: Mapping[str, Any]
    for_each: str | None = None
    object_name: str | None = None


def read_action_file(path: str | Path) -> list[StepSpec]:
    """The steps of a YAML or JSON action file; any problem is one ActionFileError."""
    where = Path(path)
    try:
        with where.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ActionFileError(f"cannot read action file {path}: {exc.strerror}") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise ActionFileError(f"{path}: larger than {MAX_FILE_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8")
        data = json.loads(text) if where.suffix.lower() == ".json" else yaml.safe_load(text)
    except UnicodeDecodeError as exc:
        raise ActionFileError(f"{path}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ActionFileError(f"{path}: not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise ActionFileError(f"{path}: {_TOO_LARGE}") from exc
    except yaml.YAMLError as exc:
        raise ActionFileError(f"{path}: not valid YAML: {_yaml_problem(exc)}") from exc
    _check_size(data, str(path))
    return parse_steps(data, str(path))


def parse_steps(data: Any, source: str) -> list[StepSpec]:
    """Steps from parsed file content (one step, or a mapping with ``steps``)."""
    if isinstance(data, Mapping) and "steps" in data:
        extra = sorted(set(map(str, data)) - {"steps", "description"})
        if extra:
            raise ActionFileError(f"{source}: unknown key {extra[0]!r} (a workflow has 'steps')")
        items = data["steps"]
        if not isinstance(items, list) or not items:
            raise ActionFileError(f"{source}: 'steps' must be a non-empty list of steps")
        if len(items) > MAX_STEPS:
            raise ActionFileError(f"{source}: more than {MAX_STEPS} steps")
    elif isinstance(data, Mapping):
        items = [data]
    else:
        raise ActionFileError(f"{source}: expected a step (action, params) or 'steps: [...]'")
    steps: list[StepSpec] = []
    for position, item in enumerate(items):
        step = _parse_step(item, f"{source}: step {position + 1}", position)
        if any(earlier.name == step.name for earlier in steps):
            raise ActionFileError(f"{source}: two steps are named {step.name!r}")
        steps.append(step)
    return steps


def _parse_step(item: Any, where: str, position: int) -> StepSpec:
    if not isinstance(item, Mapping):
        raise ActionFileError(f"{where}: a step is a mapping with 'action' and 'params'")
    keys = {str(key) for key in item}
    unknown = sorted(keys - _STEP_KEYS)
    if unknown:
        raise ActionFileError(
            f"{where}: unknown key {unknown[0]!r}{did_you_mean(unknown[0], [*_STEP_KEYS, 'steps'])}"
        )
    action_name = item.get("action")
    spec = ACTIONS.get(action_name) if isinstance(action_name, str) else None
    if spec is None:
        raise ActionFileError(
            f"{where}: unknown action {action_name!r}{did_you_mean(str(action_name), ACTIONS)}; "
            f"actions: {', '.join(ACTIONS)}"
        )
    name = item.get("name", f"step{position + 1}")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ActionFileError(
            f"{where}: step name {name!r} must be letters, digits and underscores "
            "(it is read as steps.<name>)"
        )
    params = item.get("params", {})
    if not isinstance(params, Mapping):
        raise ActionFileError(f"{where}: 'params' must be a mapping")
    given = {str(key) for key in params}
    for key in sorted(given - set(spec.params)):
        raise ActionFileError(
            f"{where} ({spec.name}): unknown parameter {key!r}"
            f"{did_you_mean(key, spec.params)}; it takes {', '.join(spec.params)}"
        )
    missing = [key for key in spec.required if key not in given]
    if missing:
        raise ActionFileError(f"{where} ({spec.name}): missing required parameter {missing[0]!r}")
    object_name = item.get("object")
    if spec.name in _GENERIC and not isinstance(object_name, str):
        raise ActionFileError(f"{where} ({spec.name}): give the object, e.g. object: Account")
    if spec.name not in _GENERIC and object_name is not None:
        raise ActionFileError(f"{where} ({spec.name}): 'object' is only for the generic actions")
    for_each = item.get("for_each")
    if for_each is not None and not isinstance(for_each, str):
        raise ActionFileError(f"{where}: 'for_each' must be a Liquid expression (text)")
    values = params.get("field_values")
    if values is not None and not isinstance(values, Mapping | str):
        raise ActionFileError(
            f"{where} ({spec.name}): 'field_values' must be a mapping of field → value (or one "
            "template yielding such a mapping)"
        )
    return StepSpec(name, spec, dict(params), for_each, object_name or spec.object_name)


def _check_size(data: Any, source: str) -> None:
    """Refuse content deeper or larger than the bounds (counting shared YAML nodes each time)."""
    count = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            raise ActionFileError(f"{source}: {_TOO_LARGE}")
        if isinstance(node, Mapping):
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"
    return str(problem)
