"""Picklist rules the models cannot express: record-type subsets, known values of open
picklists, and dependent picklists against their controlling field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sfschema.runtime.meta import FieldMeta, RecordTypeMeta
from sfschema.salesforce_errors import (
    DEPENDENT_PICKLIST_UNCHECKED,
    FIELD_INTEGRITY_EXCEPTION,
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
    PICKLIST_VALUE_NOT_IN_RECORD_TYPE,
    UNKNOWN_PICKLIST_VALUE,
    bad_restricted_picklist,
    dependent_value_not_valid,
    record_message,
)
from sfschema.suggest import close_matches
from sfschema.validate.issues import picklist_issue, value_list
from sfschema.validate.report import ValidationIssue


@dataclass(frozen=True)
class PicklistRule:
    """What the rule layer checks on one picklist or multipicklist field."""

    field: FieldMeta
    multi: bool
    known: frozenset[str]
    controller: FieldMeta | None
    dependent: Mapping[str, frozenset[str]]


def value_issue(
    rule: PicklistRule,
    item: Any,
    subset: frozenset[str] | None,
    record_type: RecordTypeMeta | None,
    strict: bool,
) -> tuple[ValidationIssue | None, bool]:
    """A picklist value not known (or not in the record type's subset): (issue, is_error)."""
    described = rule.field
    if not isinstance(item, str):
        return None, False  # a type error, reported by the model
    if item not in rule.known:
        if described.restricted:
            code, is_error = INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, True
        else:
            code, is_error = UNKNOWN_PICKLIST_VALUE, strict
        return picklist_issue(described, code, item, rule.known), is_error
    if subset is not None and item not in subset and record_type is not None:
        if described.restricted:
            code, is_error = INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, True
        else:
            code, is_error = PICKLIST_VALUE_NOT_IN_RECORD_TYPE, strict
        issue = picklist_issue(
            described, code, item, subset, record_type=record_type.developer_name
        )
        return issue, is_error
    return None, False


def dependency_issue(
    rule: PicklistRule,
    items: list[Any],
    values: Mapping[str, Any],
    skip: frozenset[str] | set[str],
    shown: Any,
) -> tuple[ValidationIssue | None, bool]:
    """A dependent picklist value its controller's value does not allow: (issue, is_error)."""
    described, controller = rule.field, rule.controller
    assert controller is not None
    if controller.name in skip:
        return None, False
    if controller.name not in values:
        return (
            ValidationIssue(
                field=described.name,
                code=DEPENDENT_PICKLIST_UNCHECKED,
                message=record_message(
                    DEPENDENT_PICKLIST_UNCHECKED,
                    name=described.name,
                    label=described.label,
                    value=";".join(str(item) for item in items),
                    controller=controller.name,
                ),
                value=shown,
                hint=f"send {controller.name} too, so the pair can be checked",
            ),
            False,
        )
    controller_value = _controller_key(values[controller.name])
    allowed = rule.dependent.get(controller_value, frozenset()) if controller_value else set()
    for item in items:
        if not isinstance(item, str) or item in allowed:
            continue
        code = (
            INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST
            if described.restricted
            else FIELD_INTEGRITY_EXCEPTION
        )
        shown = [value for value in described.values if value in allowed]
        shown += sorted(set(allowed).difference(shown))
        matches = close_matches(item, shown)
        if described.restricted:
            text = bad_restricted_picklist(described.label, item)
        else:
            text = dependent_value_not_valid(
                described.label, item, controller.label, controller_value or "empty"
            )
        return (
            ValidationIssue(
                field=described.name,
                code=code,
                message=text,
                value=item,
                suggestion=matches[0] if matches else None,
                hint=f"with {controller.name} = {controller_value or 'empty'} the allowed "
                f"values are: {value_list(shown)}",
            ),
            True,
        )
    return None, False


def _controller_key(value: Any) -> str | None:
    """The dependent-map key of a controller value (checkboxes index as 'false'/'true')."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
