"""Relationships set by external id: ``{"Account__r": {"Key__c": "X-1"}}`` links a record to the
one whose external id field ``Key__c`` holds ``X-1``, without knowing its record id.

Valid when the reference field behind the relationship is writable for the operation, the value
is an object naming exactly one field (plus ``attributes`` with the ``type``, which a polymorphic
relationship needs), and that field is an external id (or idLookup) field of a target object, with
a value of its type. Whether a record with that value exists only Salesforce can tell.
Sources: "Insert or Update (Upsert) a Record Using an External ID" (REST API Developer Guide),
"Relating Records by Using an External ID" (Apex Developer Guide).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sfschema.runtime.meta import FieldMeta
from sfschema.salesforce_errors import (
    EXTERNAL_ID_UNCHECKED,
    INVALID_FIELD,
    INVALID_TYPE_ON_FIELD_IN_RECORD,
    echo_value,
    id_and_external_id,
    invalid_reference_type,
    more_than_one_key,
    no_key_given,
    not_a_nested_sobject,
    not_an_external_id,
    record_message,
    reference_type_needed,
)
from sfschema.suggest import close_matches
from sfschema.validate.issues import value_list
from sfschema.validate.report import ValidationIssue

_NUMBER_TYPES = frozenset({"int", "long", "double", "currency", "percent"})
_NUMERIC_TEXT = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


def relationship_issue(reference: FieldMeta, value: Any) -> tuple[ValidationIssue | None, bool]:
    """What is wrong with ``value`` set through ``reference``'s relationship: (issue, is_error);
    (None, False) when it is a valid foreign key reference. Writability is the caller's."""
    name = reference.relationship or reference.name
    if not isinstance(value, Mapping):
        return _invalid(name, not_a_nested_sobject(name), value, _example(reference)), True
    attributes = value.get("attributes")
    keys = [key for key in value if key != "attributes"]
    target, problem = _target(reference, name, attributes)
    if problem is not None:
        return problem, True
    assert target is not None
    if not keys:
        return _invalid(name, no_key_given(name), value, _example(reference, target)), True
    if len(keys) > 1:
        return (
            _invalid(
                name,
                more_than_one_key(target),
                value,
                f"keep one of {value_list([str(key) for key in keys])}",
            ),
            True,
        )
    key = str(keys[0])
    if target.lower() not in {known.lower() for known in reference.lookup_targets}:
        return (
            ValidationIssue(
                field=name,
                code=EXTERNAL_ID_UNCHECKED,
                message=record_message(
                    EXTERNAL_ID_UNCHECKED,
                    name=name,
                    label=name,
                    value=key,
                    object_name=target,
                ),
                value=value,
                hint=f"describe {target} too (pull it into the schema) so the key is checked",
            ),
            False,
        )
    fields = {
        field.lower(): (field, kind)
        for owner, field, kind in reference.lookup_keys
        if owner.lower() == target.lower()
    }
    found = fields.get(key.lower())
    if found is None:
        names = [field for field, _ in fields.values()]
        matches = close_matches(key, names)
        return (
            ValidationIssue(
                field=name,
                code=INVALID_FIELD,
                message=not_an_external_id(key, target),
                value=value,
                suggestion=matches[0] if matches else None,
                hint=f"{target}'s external id fields: {value_list(names)}",
            ),
            True,
        )
    field, kind = found
    given = value[keys[0]]
    if not _of_type(given, kind):
        expected = "a number" if kind in _NUMBER_TYPES else "text"
        return (
            ValidationIssue(
                field=name,
                code=INVALID_TYPE_ON_FIELD_IN_RECORD,
                message=record_message(
                    INVALID_TYPE_ON_FIELD_IN_RECORD, name=field, label=field, value=given
                ),
                value=value,
                hint=f"{target}.{field} is a {kind} field: send {expected}",
            ),
            True,
        )
    return None, False


def set_twice_issue(reference: FieldMeta, value: Any) -> ValidationIssue:
    """INVALID_FIELD for a reference set both by record id and through its relationship."""
    name = reference.relationship or reference.name
    return _invalid(
        name,
        id_and_external_id(name, reference.name),
        value,
        f"send either {reference.name} (a record id) or {name} (an external id), not both",
    )


def _target(
    reference: FieldMeta, name: str, attributes: Any
) -> tuple[str | None, ValidationIssue | None]:
    """The object the reference points to: ``attributes.type`` or the only target."""
    targets = reference.reference_to
    if attributes is not None:
        kind = attributes.get("type") if isinstance(attributes, Mapping) else None
        for target in targets:
            if isinstance(kind, str) and target.lower() == kind.lower():
                return target, None
        shown = echo_value(kind) if kind is not None else echo_value(attributes)
        return None, _invalid(
            name,
            invalid_reference_type(shown, name),
            attributes,
            f"{name} points to {value_list(list(targets))}",
        )
    if len(targets) == 1:
        return targets[0], None
    return None, _invalid(name, reference_type_needed(name), None, _example(reference))


def _of_type(value: Any, kind: str) -> bool:
    """A value a key field of this type can hold: a number (or numeric text) for a number, text
    (or a whole number) for the rest."""
    if isinstance(value, bool) or value is None:
        return False
    if kind in _NUMBER_TYPES:
        if isinstance(value, str):
            return _NUMERIC_TEXT.match(value) is not None
        if isinstance(value, Decimal):
            return value.is_finite()
        if isinstance(value, float):
            return math.isfinite(value)
        return isinstance(value, int)
    return isinstance(value, str | int | Decimal)


def _invalid(name: str, message: str, value: Any, hint: str) -> ValidationIssue:
    return ValidationIssue(field=name, code=INVALID_FIELD, message=message, value=value, hint=hint)


def _example(reference: FieldMeta, target: str | None = None) -> str:
    """How to write the reference, with a real key field when one is known."""
    name = reference.relationship or reference.name
    owner = target or reference.reference_to[0] if reference.reference_to else "Object"
    keys = [field for obj, field, _ in reference.lookup_keys if obj == owner]
    key = keys[0] if keys else "External_Id__c"
    typed = len(reference.reference_to) > 1
    attributes = f'"attributes": {{"type": "{owner}"}}, ' if typed else ""
    return (
        f'send {{"{name}": {{{attributes}"{key}": "…"}}}} (one external id field of the '
        f"target), or the record id in {reference.name}"
    )
