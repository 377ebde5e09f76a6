"""The validator of one object: pydantic models for types, ObjectRules for the rest.

A valid record takes the fast path: one ``model_validate``, the payload from the validated values
(``sfschema.runtime.payload``) and a few set lookups for the picklists the rule layer checks.
Anything unusual (an unknown or misspelt key, a null, a model error) takes the slow path, which
collects every problem, one per field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from sfschema import ids
from sfschema.runtime.meta import FieldMeta, ObjectMeta, RecordTypeMeta
from sfschema.runtime.payload import payload_writer
from sfschema.runtime.record_ids import exact_id_check, id18
from sfschema.salesforce_errors import (
    INVALID_CROSS_REFERENCE_KEY,
    JSON_PARSER_ERROR,
    RECORD_TYPE_OVERRIDDEN,
    not_a_json_object,
    record_message,
)
from sfschema.salesforce_errors import (
    duplicate_field as duplicate_field_text,
)
from sfschema.validate.issues import duplicate_field, from_model_error
from sfschema.validate.relationships import relationship_issue, set_twice_issue
from sfschema.validate.report import Operation, ValidationIssue, ValidationReport
from sfschema.validate.rules import ObjectRules

RECORD_TYPE_FIELD = "RecordTypeId"
# What the fast path checks after the model, by kind of field (see _Operation.after):
_KNOWN_VALUES = 1  # an open picklist: a known value needs no more work
_NUMBER = 2  # a Decimal field: an int, or a float within the scale, is sent and stored as given
_RULES = 4  # anything else the rule layer checks (dependent and multi-select picklists …)
_FINITE = 1e280  # floats whose product with 10**scale (scale <= 18) stays finite
_SCAN_AFTER_ITEMS = 6  # up to this many fields to check: look each up in the payload


class ModelSet(Protocol):
    """What the validator needs of an object's models (``codegen.build.ObjectModels``)."""

    @property
    def create(self) -> type[BaseModel]: ...

    @property
    def update(self) -> type[BaseModel]: ...

    @property
    def meta(self) -> ObjectMeta: ...


class _Operation:
    """One model (Create or Update) with the wire names it accepts."""

    def __init__(self, model: type[BaseModel], operation: Operation, rules: ObjectRules) -> None:
        model.model_rebuild()  # generated models defer their build to first use
        self.model = model
        self.operation: Operation = operation
        #: attribute name → the API name it is sent under
        self.wire_names = {
            name: info.alias if isinstance(info.alias, str) else name
            for name, info in model.model_fields.items()
        }
        self.keys = frozenset(self.wire_names.values())
        self.checked = rules.checked_names & self.keys
        self.checked_with_record_type = rules.record_type_names & self.keys
        #: attribute names that are not wire names: field values must then be checked by name
        self.aliased = any(name != wire for name, wire in self.wire_names.items())
        #: wire name → (kind, data) of every field the rule layer checks (no record type)
        self.after: dict[str, tuple[int, Any]] = {}
        for name in self.checked:
            if name in rules.quick_known:
                self.after[name] = (_KNOWN_VALUES, rules.quick_known[name])
            elif name in rules.numbers:
                self.after[name] = (_NUMBER, 10 ** rules.numbers[name].scale)
            else:
                self.after[name] = (_RULES, None)
        #: the same as a tuple, scanned per record when it is short (else the payload is scanned)
        self.after_items: Sequence[tuple[str, int, Any]] | None = (
            tuple((name, kind, data) for name, (kind, data) in self.after.items())
            if len(self.after) <= _SCAN_AFTER_ITEMS
            else None
        )
        # pydantic-core directly (model_validate adds ~0.3 µs of Python per record), and the
        # payload from the validated values (model_dump would visit every field of the model)
        self.validate = model.__pydantic_validator__.validate_python
        self.write = payload_writer(model)

    def payload(self, field_values: dict[str, Any]) -> dict[str, Any]:
        """The JSON payload of values (keyed by API name) the model accepts, in their order
        (raises ValidationError otherwise)."""
        return self.write(self.validate(field_values), field_values)


class RecordValidator:
    """Validates field values of one object for create and update.

    Build it once per object (``sfschema.validate.record_validator``) and call ``create`` /
    ``update`` per record.
    """

    def __init__(self, models: ModelSet) -> None:
        self.meta = models.meta
        self.rules = ObjectRules(self.meta)
        self._create = _Operation(models.create, "create", self.rules)
        self._update = _Operation(models.update, "update", self.rules)
        self._rt_field = self.meta.field(RECORD_TYPE_FIELD)
        self._record_types: dict[str, RecordTypeMeta | None] = {}
        self._key_prefix = self.meta.key_prefix
        #: the record id of an update, 18 characters in its exact case with this object's prefix
        self._exact_record_id = exact_id_check(self._key_prefix or "")
        self._order = {described.name: index for index, described in enumerate(self.meta.fields)}
        #: object-level permissions: a refused operation takes the full path, which says so
        self._can = {"create": self.meta.createable, "update": self.meta.updateable}

    # -- public --------------------------------------------------------------------------------

    def create(
        self, field_values: Any, record_type_id: str | None = None, strict: bool = False
    ) -> ValidationReport:
        """Validate the field values of a record to create."""
        op = self._create
        payload = None
        # The fast path (inlined: this runs per record): a dict of wire names the model accepts.
        if (
            type(field_values) is dict
            and (not op.aliased or op.keys.issuperset(field_values))
            and self._can["create"]
        ):
            try:
                payload = op.write(op.validate(field_values), field_values)
            except ValidationError:
                pass  # the full path says which field and why
            else:
                if record_type_id is None and RECORD_TYPE_FIELD not in payload:
                    return self._fast(op, field_values, payload, None, strict)
        return self._full(op, field_values, None, record_type_id, strict, payload)

    def update(
        self,
        record_id: Any,
        field_values: Any,
        record_type_id: str | None = None,
        strict: bool = False,
    ) -> ValidationReport:
        """Validate the field values of an update of ``record_id``."""
        op = self._update
        payload = None
        if (
            type(field_values) is dict
            and (not op.aliased or op.keys.issuperset(field_values))
            and self._can["update"]
        ):
            try:
                payload = op.write(op.validate(field_values), field_values)
            except ValidationError:
                pass
            else:
                if self._exact_record_id(record_id):
                    own_id = record_id
                else:
                    own_id = id18(record_id) if type(record_id) is str else None
                    if own_id is not None and self._key_prefix and own_id[:3] != self._key_prefix:
                        own_id = None
                if (
                    own_id is not None
                    and record_type_id is None
                    and RECORD_TYPE_FIELD not in payload
                ):
                    return self._fast(op, field_values, payload, own_id, strict)
        return self._full(op, field_values, record_id, record_type_id, strict, payload)

    # -- the two paths -------------------------------------------------------------------------

    def _fast(
        self,
        op: _Operation,
        field_values: dict[str, Any],
        payload: dict[str, Any],
        record_id: str | None,
        strict: bool,
    ) -> ValidationReport:
        """The report of a record the model accepted (with its own record id), without record
        types: the rule layer runs only when a field needs it."""
        after_items = op.after_items
        if after_items is None:  # many fields to check: scan the (shorter) payload instead
            after = op.after
            after_items = [(name, *after[name]) for name in payload if name in after]
        for name, kind, data in after_items:
            if name not in payload:
                continue
            if kind == _KNOWN_VALUES:
                if payload[name] in data:
                    continue
            elif kind == _NUMBER:
                given = field_values[name]
                if type(given) is int or (
                    type(given) is float
                    and -_FINITE < given < _FINITE
                    and round(given * data) / data == given
                ):
                    # an int, or a float within the scale: sent and stored as given. The float
                    # test (data = 10**scale) is exact when it says yes: int / int is correctly
                    # rounded, so it is the float nearest a number of ``scale`` decimals, whose
                    # shortest text has no more; a no (very large values) only takes the rule
                    # layer's exact check. 4x cheaper than round(given, scale) == given.
                    continue
            break  # the rule layer has something to check
        else:
            return ValidationReport(self.meta.name, op.operation, payload, (), (), record_id, None)
        names = op.checked.intersection(payload)
        errors, warnings = self.rules.check_values(
            payload, names, None, strict, frozenset(), field_values
        )
        return ValidationReport(
            self.meta.name,
            op.operation,
            payload if not errors else {},
            tuple(self._sorted(errors)) if errors else (),
            tuple(self._sorted(warnings)) if warnings else (),
            record_id,
            None,
        )

    def _full(
        self,
        op: _Operation,
        field_values: Any,
        record_id: Any,
        record_type_id: str | None,
        strict: bool,
        payload: dict[str, Any] | None,
    ) -> ValidationReport:
        """Every check; ``payload`` is the model's output when it already accepted the values."""
        operation = op.operation
        errors: list[ValidationIssue] = []
        warnings: list[ValidationIssue] = []
        normalised_id = None
        if not self._can[operation]:
            errors.append(self.rules.object_not_writable(operation))
        if operation == "update":
            normalised_id, id_issue = self.rules.check_record_id(record_id)
            if id_issue is not None:
                errors.append(id_issue)
        record_type = None
        if record_type_id is not None:
            record_type = self._record_type(record_type_id)
            if record_type is None:
                errors.append(self.rules.unknown_record_type(record_type_id))
        values: Mapping[str, Any]
        sent: Mapping[str, Any]
        errored: set[str] = set()
        if payload is not None:
            values, sent = payload, field_values
        else:
            payload, values, errored, sent = self._slow(op, field_values, errors, warnings)
        if record_type is not None or RECORD_TYPE_FIELD in values:
            record_type = self._effective_record_type(
                op, values, errored, record_type_id, record_type, payload, sent, errors, warnings
            )
        names = (op.checked if record_type is None else op.checked_with_record_type).intersection(
            values
        )
        if names:
            more_errors, more_warnings = self.rules.check_values(
                values, names, record_type, strict, errored, sent if values is payload else None
            )
            errors += more_errors
            warnings += more_warnings
        return ValidationReport(
            self.meta.name,
            operation,
            payload if not errors else {},
            tuple(self._sorted(errors)) if errors else (),
            tuple(self._sorted(warnings)) if warnings else (),
            normalised_id,
            record_type.id if record_type is not None else None,
        )

    def _linked(
        self,
        op: _Operation,
        reference: FieldMeta,
        value: Any,
        linked: dict[str, Any],
        refused: set[str],
        errors: list[ValidationIssue],
        warnings: list[ValidationIssue],
    ) -> bool:
        """Check a relationship set by external id; True when it goes into the payload."""
        name = reference.relationship or reference.name
        if name in linked or name in refused:
            errors.append(
                ValidationIssue(
                    field=name,
                    code=JSON_PARSER_ERROR,
                    message=duplicate_field_text(name),
                    value=value,
                    hint=f"{name} is set twice (names ignore case); keep one",
                )
            )
            linked.pop(name, None)
            refused.add(name)
            return False
        if reference.name not in op.keys:
            errors.append(self.rules.not_writable(reference, op.operation, value))
            refused.add(name)
            return False
        issue, is_error = relationship_issue(reference, value)
        if issue is not None:
            (errors if is_error else warnings).append(issue)
        if is_error:
            refused.add(name)
            return False
        linked[name] = value
        return True

    def _slow(
        self,
        op: _Operation,
        field_values: Any,
        errors: list[ValidationIssue],
        warnings: list[ValidationIssue],
    ) -> tuple[dict[str, Any], Mapping[str, Any], set[str], Mapping[str, Any]]:
        """Every problem, one per field; the payload when the model accepts what is left."""
        errored: set[str] = set()
        if not isinstance(field_values, Mapping):
            errors.append(
                ValidationIssue(
                    field="",
                    code=JSON_PARSER_ERROR,
                    message=record_message(
                        JSON_PARSER_ERROR,
                        name="",
                        label="",
                        detail=not_a_json_object(type(field_values).__name__),
                    ),
                    value=field_values,
                    hint='send an object such as {"Name": "Acme"}',
                )
            )
            return {}, {}, errored, {}
        cleaned: dict[str, Any] = {}
        #: relationships set by external id, kept as given: name → value
        linked: dict[str, Any] = {}
        refused: set[str] = set()  # relationships refused (their errors are said)
        related: list[FieldMeta] = []  # references set through their relationship, valid or not
        order: list[str] = []
        for raw_key, value in field_values.items():
            key = raw_key if isinstance(raw_key, str) else str(raw_key)
            described = self.meta.field(key)
            if described is None:
                reference = self.meta.relationship(key)
                if reference is None:
                    errors.append(self.rules.unknown_field(key, value))
                    continue
                related.append(reference)
                if self._linked(op, reference, value, linked, refused, errors, warnings):
                    order.append(reference.relationship or key)
                continue
            order.append(described.name)
            name = described.name
            if name in cleaned or name in errored:
                errors.append(duplicate_field(described, key, value))
                errored.add(name)
                cleaned.pop(name, None)
            elif name not in op.keys:
                errors.append(self.rules.not_writable(described, op.operation, value))
                errored.add(name)
            elif value is None and not described.nillable:
                errors.append(self.rules.null_not_allowed(described))
                errored.add(name)
            else:
                cleaned[name] = value
        for reference in related:  # a reference set both by record id and by external id
            name = reference.relationship or reference.name
            if name in linked and reference.name in order:
                errors.append(set_twice_issue(reference, linked.pop(name)))
        given = cleaned
        if related:  # a reference set through its relationship is set: the model gets a stand-in
            given = dict(cleaned)
            for reference in related:
                if reference.name not in op.keys:
                    continue  # not writable: already reported
                prefixes = reference.reference_prefixes or ("000",)
                given.setdefault(reference.name, ids.make_id(prefixes[0], 1))
        try:
            payload = op.payload(given)
            if related:  # in the order given, relationships among the fields, no stand-ins
                payload = {
                    name: linked[name] if name in linked else payload[name]
                    for name in order
                    if name in linked or name in payload
                }
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                issues = from_model_error(self.rules, op.operation, error, cleaned)
                if issues and issues[0].field not in errored:
                    errors += issues
                    errored.add(issues[0].field)
            good = {key: value for key, value in cleaned.items() if key not in errored}
            return {}, good, errored, cleaned
        return payload, payload, errored, cleaned

    # -- record types --------------------------------------------------------------------------

    def _record_type(self, name_or_id: Any) -> RecordTypeMeta | None:
        key = str(name_or_id)
        if key not in self._record_types:
            self._record_types[key] = self.rules.find_record_type(key)
        return self._record_types[key]

    def _effective_record_type(
        self,
        op: _Operation,
        values: Mapping[str, Any],
        errored: set[str],
        record_type_id: Any,
        requested: RecordTypeMeta | None,
        payload: dict[str, Any],
        sent_values: Mapping[str, Any],
        errors: list[ValidationIssue],
        warnings: list[ValidationIssue],
    ) -> RecordTypeMeta | None:
        """The record type whose picklist subsets apply: the payload's, else the argument's."""
        sent = values.get(RECORD_TYPE_FIELD)
        if sent is None or sent == "" or RECORD_TYPE_FIELD in errored:  # "" is stored as null
            if (
                requested is not None
                and op.operation == "create"
                and RECORD_TYPE_FIELD in op.keys
                and requested.id != ids.MASTER_RECORD_TYPE_ID
                and RECORD_TYPE_FIELD not in errored
            ):
                payload[RECORD_TYPE_FIELD] = requested.id
            return requested
        shown = sent_values.get(RECORD_TYPE_FIELD, sent)
        found = self._record_type(sent)
        described = self._rt_field
        assert described is not None
        if found is None:
            if self.meta.record_types:
                errors.append(
                    ValidationIssue(
                        field=described.name,
                        code=INVALID_CROSS_REFERENCE_KEY,
                        message=record_message(
                            INVALID_CROSS_REFERENCE_KEY,
                            name=described.name,
                            label=described.label,
                            value=shown,
                        ),
                        value=shown,
                        hint=f"{self.meta.name} record types: "
                        + ", ".join(
                            f"{rt.developer_name} {rt.id}" for rt in self.meta.record_types
                        ),
                    )
                )
            return requested
        if requested is not None and requested.id != found.id and record_type_id is not None:
            warnings.append(
                ValidationIssue(
                    field=described.name,
                    code=RECORD_TYPE_OVERRIDDEN,
                    message=record_message(
                        RECORD_TYPE_OVERRIDDEN,
                        name=described.name,
                        label=described.label,
                        value=found.id,
                        record_type=requested.id,
                    ),
                    value=shown,
                    hint="drop one of the two, or make them agree",
                )
            )
        return found

    def _sorted(self, issues: list[ValidationIssue]) -> list[ValidationIssue]:
        """Record-level and unknown-field issues first, then in describe field order (stable)."""
        return sorted(issues, key=lambda issue: self._order.get(issue.field, -1))
