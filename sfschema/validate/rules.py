"""Checks that need only ObjectMeta: field names and writability, record ids, record types,
and what a pydantic model cannot express: picklist rules (``picklists``) and numbers a JSON
number cannot carry exactly (or that Salesforce would round). Reference key prefixes are
checked by the model alone (``sfschema.runtime.SalesforceId``).

``ObjectRules`` precomputes lookup tables once per object, so the per-record work is a few set
lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sfschema import ids
from sfschema.errors import InvalidIdError
from sfschema.runtime.meta import FieldMeta, ObjectMeta, RecordTypeMeta
from sfschema.runtime.numeric import precision_loss, scale_rounding
from sfschema.salesforce_errors import (
    CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY,
    INVALID_CROSS_REFERENCE_KEY,
    INVALID_FIELD,
    INVALID_FIELD_FOR_INSERT_UPDATE,
    MALFORMED_ID,
    REQUIRED_FIELD_MISSING,
    entity_cannot_be,
    record_message,
)
from sfschema.suggest import close_matches
from sfschema.validate.issues import precision_loss_issue, scale_rounded_issue, split_values
from sfschema.validate.picklists import PicklistRule, dependency_issue, value_issue
from sfschema.validate.report import Operation, ValidationIssue

_PICKLIST_TYPES = ("picklist", "multipicklist")
_NUMBER_TYPES = ("double", "currency", "percent")


class ObjectRules:
    """The rule layer of one object, built from its ObjectMeta."""

    def __init__(self, meta: ObjectMeta) -> None:
        self.meta = meta
        self.picklists: dict[str, PicklistRule] = {}
        for described in meta.fields:
            if described.type not in _PICKLIST_TYPES:
                continue
            controller = meta.field(described.controller) if described.controller else None
            self.picklists[described.name] = PicklistRule(
                field=described,
                multi=described.type == "multipicklist",
                known=frozenset(described.values),
                controller=controller,
                dependent={key: frozenset(values) for key, values in described.dependent},
            )
        self.picklist_names = frozenset(self.picklists)
        #: Decimal fields: a value with more digits than a JSON number carries, or more decimal
        #: places than the field's scale, is a warning.
        self.numbers = {
            described.name: described
            for described in meta.fields
            if described.type in _NUMBER_TYPES
        }
        #: Fields the rule layer must look at after the model accepted them: open picklists
        #: (known values), dependent picklists and numbers (precision). A restricted picklist is
        #: fully checked by its model unless a record type narrows it:
        self.checked_names = frozenset(self.numbers) | frozenset(
            name
            for name, rule in self.picklists.items()
            if not rule.field.restricted or rule.controller is not None
        )
        #: Open single-select picklists without a controller: a known value needs no more work.
        self.quick_known = {
            name: rule.known
            for name, rule in self.picklists.items()
            if not rule.field.restricted and not rule.multi and rule.controller is None
        }
        #: … and with a record type, every picklist it has a subset for.
        self.record_type_names = self.checked_names | frozenset(
            name for rt in meta.record_types for name, _ in rt.values if name in self.picklists
        )
        self._record_types = {_id_key(rt.id): rt for rt in meta.record_types}
        self._rt_values = {
            _id_key(rt.id): {name: frozenset(values) for name, values in rt.values}
            for rt in meta.record_types
        }
        self._names = [described.name for described in meta.fields]
        self._label_to_name: dict[str, str] = {}
        for described in meta.fields:
            self._label_to_name.setdefault(described.label, described.name)

    # -- field names and writability -----------------------------------------------------------

    def unknown_field(self, key: str, value: Any) -> ValidationIssue:
        """INVALID_FIELD for a name the object does not have, with the closest field names."""
        candidates = self._names + [label for label in self._label_to_name if label]
        matches: list[str] = []
        for match in close_matches(key, candidates):
            found = self.meta.field(match)
            name = found.name if found is not None else self._label_to_name[match]
            if name not in matches:
                matches.append(name)
        return ValidationIssue(
            field=key,
            code=INVALID_FIELD,
            message=record_message(INVALID_FIELD, name=key, label=key, object_name=self.meta.name),
            value=value,
            suggestion=matches[0] if matches else None,
            hint=("other close names: " + ", ".join(matches[1:])) if len(matches) > 1 else None,
        )

    def not_writable(
        self, described: FieldMeta, operation: Operation, value: Any
    ) -> ValidationIssue:
        """INVALID_FIELD_FOR_INSERT_UPDATE, saying why the field cannot be written."""
        if described.type == "id":
            why = "the record id is not a field value (validate_update takes it as record_id)"
        elif described.calculated:
            why = "it is a formula field"
        elif described.auto_number:
            why = "it is an auto-number field"
        elif operation == "update" and described.createable:
            why = "it can be set only when the record is created"
        elif operation == "create" and described.updateable:
            why = "it can be set only on update, not on create"
        else:
            why = "it is read-only (a system field, or not editable for this user)"
        return ValidationIssue(
            field=described.name,
            code=INVALID_FIELD_FOR_INSERT_UPDATE,
            message=record_message(
                INVALID_FIELD_FOR_INSERT_UPDATE, name=described.name, label=described.label
            ),
            value=value,
            hint=f"remove {described.name} from the values: {why}",
        )

    def object_not_writable(self, operation: Operation) -> ValidationIssue:
        """CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY: the user cannot create (update) this object."""
        meta = self.meta
        allowed = [
            op for op, can in (("create", meta.createable), ("update", meta.updateable)) if can
        ]
        done = "created" if operation == "create" else "updated"
        return ValidationIssue(
            field="",
            code=CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY,
            message=entity_cannot_be(operation, meta.label),
            hint=f"{meta.name} records cannot be {done} by this user (the describe's object "
            "permissions); "
            + (f"this user may only {' and '.join(allowed)} them" if allowed else "read-only"),
        )

    def null_not_allowed(self, described: FieldMeta, value: Any = None) -> ValidationIssue:
        """REQUIRED_FIELD_MISSING for null (or ``""``, which Salesforce stores as null) sent to a
        field that cannot be empty."""
        why = " (Salesforce stores an empty string as null)" if value is not None else ""
        return self.required_missing(
            described,
            hint=f"{described.name} cannot be empty{why}; send a value or leave it out",
            value=value,
        )

    def required_missing(
        self, described: FieldMeta, hint: str | None = None, value: Any = None
    ) -> ValidationIssue:
        """REQUIRED_FIELD_MISSING for a field a create must set."""
        return ValidationIssue(
            field=described.name,
            code=REQUIRED_FIELD_MISSING,
            message=record_message(
                REQUIRED_FIELD_MISSING, name=described.name, label=described.label
            ),
            value=value,
            hint=hint or f"{described.name} is required when creating {self.meta.name}",
        )

    # -- record ids and record types -----------------------------------------------------------

    def check_record_id(self, record_id: Any) -> tuple[str | None, ValidationIssue | None]:
        """The 18-char id of the record to update, or MALFORMED_ID when it is not one of ours."""
        label = f"{self.meta.label} ID"
        try:
            normalised = ids.to18(record_id)
        except InvalidIdError as exc:
            return None, ValidationIssue(
                field="Id",
                code=MALFORMED_ID,
                message=record_message(MALFORMED_ID, name="Id", label=label, value=record_id),
                value=record_id,
                hint=str(exc),
            )
        prefix = self.meta.key_prefix
        if prefix and normalised[:3] != prefix:
            return None, ValidationIssue(
                field="Id",
                code=MALFORMED_ID,
                message=record_message(MALFORMED_ID, name="Id", label=label, value=record_id),
                value=record_id,
                hint=f"{self.meta.name} ids start with {prefix!r}; this one starts with "
                f"{normalised[:3]!r}",
            )
        return normalised, None

    def find_record_type(self, name_or_id: str) -> RecordTypeMeta | None:
        """A record type by id (15 or 18 chars), name or developer name."""
        if ids.is_valid(name_or_id):
            found = self._record_types.get(_id_key(name_or_id))
            if found is not None:
                return found
        for record_type in self.meta.record_types:
            if name_or_id in (record_type.name, record_type.developer_name):
                return record_type
        return None

    def unknown_record_type(self, name_or_id: Any) -> ValidationIssue:
        """INVALID_CROSS_REFERENCE_KEY for a record_type_id argument that names no record type."""
        known = [rt.developer_name for rt in self.meta.record_types]
        matches = close_matches(str(name_or_id), known)
        return ValidationIssue(
            field="RecordTypeId",
            code=INVALID_CROSS_REFERENCE_KEY,
            message=record_message(
                INVALID_CROSS_REFERENCE_KEY,
                name="RecordTypeId",
                label="Record Type ID",
                value=name_or_id,
            ),
            value=name_or_id,
            suggestion=matches[0] if matches else None,
            hint=f"{self.meta.name} has no record type {name_or_id!r}; known: "
            + (", ".join(known) or "none"),
        )

    # -- picklists -----------------------------------------------------------------------------

    def check_values(
        self,
        values: Mapping[str, Any],
        names: Iterable[str],
        record_type: RecordTypeMeta | None,
        strict: bool,
        skip: frozenset[str] | set[str] = frozenset(),
        sent: Mapping[str, Any] | None = None,
    ) -> tuple[list[ValidationIssue], list[ValidationIssue]]:
        """Picklist and number rules over the named fields of ``values``.

        Returns (errors, warnings). ``skip`` holds fields that already have an error (a
        controller with an error is not used to judge its dependents). ``sent`` is the input
        as sent when ``values`` is the model's payload (ids already 18 characters); issues report
        the value as sent.
        """
        sent = values if sent is None else sent
        errors: list[ValidationIssue] = []
        warnings: list[ValidationIssue] = []
        subsets = self._rt_values.get(_id_key(record_type.id), {}) if record_type else {}
        for name in names:
            raw = values[name]
            if raw is None or raw == "" or name in skip:
                continue
            number = self.numbers.get(name)
            if number is not None:
                shown = sent.get(name, raw)
                rounded = scale_rounding(shown, number.scale)
                if rounded is not None:
                    warnings.append(scale_rounded_issue(number, shown, *rounded))
                lost = precision_loss(shown)
                if lost is not None:
                    warnings.append(precision_loss_issue(number, shown, *lost))
                continue
            rule = self.picklists[name]
            items = split_values(raw) if rule.multi else [raw]
            subset = subsets.get(name)
            for item in items:
                issue, is_error = value_issue(rule, item, subset, record_type, strict)
                if issue is not None:
                    (errors if is_error else warnings).append(issue)
            if rule.controller is not None:
                issue, is_error = dependency_issue(rule, items, values, skip, sent.get(name, raw))
                if issue is not None:
                    (errors if is_error else warnings).append(issue)
        return errors, warnings


def _id_key(value: str) -> str:
    try:
        return ids.to18(value).lower()
    except InvalidIdError:
        return value.lower()
