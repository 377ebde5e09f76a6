"""The server-side rules of a record write, written plainly from the describe the CALLING user
sees (field-level security applied), apart from the validator (``sfschema.validate``): the two
share only the error codes and message wording of ``sfschema.salesforce_errors``, and a
differential test checks that they agree.

Sources (REST API Developer Guide / SOAP API Developer Guide): "DescribeSObjectResult" (Field:
createable, updateable, nillable, defaultedOnCreate, length, digits, precision, scale,
restrictedPicklist, validFor, relationshipName, externalId, idLookup, caseSensitive), "Valid Date
and DateTime Formats", "Status Codes and Error Responses", "StatusCode enum"; for a reference set
by external id (``{"Account__r": {"Key__c": "X-1"}}``): "Insert or Update (Upsert) a Record Using
an External ID" (REST API Developer Guide), "Relating Records by Using an External ID" (Apex
Developer Guide).

``check`` returns the values to store (converted to the form Salesforce answers with) and every
problem, one per field, as WireErrors with ``fields``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal

from sfschema import ids
from sfschema.describe.picklists import decode_valid_for
from sfschema.emulator.formats import sf_datetime
from sfschema.salesforce_errors import (
    DUPLICATE_EXTERNAL_ID,
    DUPLICATE_FIELD_MESSAGE,
    FIELD_INTEGRITY_EXCEPTION,
    INVALID_CROSS_REFERENCE_KEY,
    INVALID_CROSS_REFERENCE_MESSAGE,
    INVALID_FIELD,
    INVALID_FIELD_FOR_INSERT_UPDATE,
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
    INVALID_TYPE_ON_FIELD_IN_RECORD,
    JSON_PARSER_ERROR,
    MALFORMED_ID,
    NUMBER_OUTSIDE_VALID_RANGE,
    REQUIRED_FIELD_MISSING,
    STRING_TOO_LONG,
    WireError,
    bad_restricted_picklist_value,
    data_value_too_large,
    dependent_value_not_valid,
    echo_value,
    foreign_key_matches_many,
    foreign_key_not_found,
    id_and_external_id,
    id_not_valid_for_user,
    id_value_of_incorrect_type,
    invalid_reference_type,
    more_than_one_key,
    no_key_given,
    no_such_column,
    not_a_nested_sobject,
    not_an_external_id,
    not_writable,
    reference_type_needed,
    required_fields_missing,
    value_not_of_required_type,
    value_outside_valid_range,
)

Operation = Literal["create", "update"]
TEXT_TYPES = frozenset(
    {"string", "textarea", "phone", "email", "url", "encryptedstring", "combobox", "picklist"}
)
NUMBER_TYPES = frozenset({"double", "currency", "percent"})
INTEGER_TYPES = frozenset({"int", "long"})
NUMERIC_TEXT = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_TEXT = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?Z?$")
RECORD_TYPE_FIELD = "RecordTypeId"
#: Numbers longer than this (as text) are refused before any arithmetic (bounded work).
MAX_NUMBER_TEXT = 400


@dataclass(frozen=True)
class Target:
    """What the rules need to know about the org beyond the describe."""

    #: key prefix → object name, for every object the org knows (snapshot + standard objects)
    prefixes: Mapping[str, str]
    #: does a live record with this 18-character id exist in that object?
    exists: Callable[[str, str], bool]
    #: the record-type picklist subsets (field → values) of a record type id, if known
    record_type_values: Callable[[str], Mapping[str, frozenset[str]] | None]
    #: the describe of an object as the calling user sees it; None when the org does not know
    #: the object or the user cannot read it
    describe: Callable[[str], Mapping[str, Any] | None]
    #: the live (not deleted) records of an object whose describe ``describe`` gave
    rows: Callable[[str], Iterable[Mapping[str, Any]]]


@dataclass(frozen=True)
class _Link:
    """A reference set through its relationship, well formed: what to look up."""

    reference: Mapping[str, Any]  # the reference field (``Account__c``)
    relationship: str  # its relationship name (``Account__r``)
    target: str  # the object looked in
    key: Mapping[str, Any] | None  # the target's external id field; None when it is unknown
    key_given: str  # the key as sent
    value: Any  # the external id value


def _problem(code: str, message: str, *fields: str) -> WireError:
    return WireError(code, message, 400, tuple(fields))


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


class ObjectRules:
    """The write rules of one object as one user sees it (``describe`` is the user's describe)."""

    def __init__(self, describe: Mapping[str, Any], target: Target) -> None:
        self.name = str(describe["name"])
        self.label = str(describe.get("label") or self.name)
        self.fields: dict[str, dict[str, Any]] = {
            str(raw["name"]).lower(): raw for raw in describe.get("fields") or []
        }
        #: reference fields by relationship name (lower case)
        self.relationships: dict[str, dict[str, Any]] = {
            str(raw["relationshipName"]).lower(): raw
            for raw in self.fields.values()
            if raw.get("type") == "reference" and raw.get("relationshipName")
        }
        self.target = target
        self.record_types = {
            ids.to18(str(info["recordTypeId"])): info
            for info in describe.get("recordTypeInfos") or []
            if ids.is_valid(info.get("recordTypeId"))
        }

    def field(self, name: str) -> dict[str, Any] | None:
        """A field by API name (case-insensitive), or None when the user cannot see it."""
        return self.fields.get(name.lower())

    # -- the whole record ----------------------------------------------------------------------

    def check(
        self,
        values: Any,
        operation: Operation,
        existing: Mapping[str, Any] | None = None,
    ) -> tuple[dict[str, Any], list[WireError]]:
        """(values to store by API name, problems). ``existing`` is the record being updated."""
        if not isinstance(values, dict):
            return {}, [
                _problem(
                    JSON_PARSER_ERROR,
                    "Cannot deserialize the record: expected a JSON object of field values",
                )
            ]
        errors: list[WireError] = []
        stored: dict[str, Any] = {}
        errored: set[str] = set()
        given: set[str] = set()  # fields given by name (well formed or not)
        links: dict[str, _Link] = {}  # relationship → a well-formed reference by external id
        through: set[str] = set()  # reference fields set through their relationship
        for key, value in values.items():
            raw = self.field(key)
            if raw is None:
                reference = self.relationships.get(str(key).lower())
                if reference is None:
                    errors.append(_problem(INVALID_FIELD, no_such_column(key, self.name), key))
                    continue
                relationship = str(reference["relationshipName"])
                through.add(str(reference["name"]))
                if relationship in links or relationship in errored:
                    message = DUPLICATE_FIELD_MESSAGE.format(field=relationship)
                    errors.append(_problem(JSON_PARSER_ERROR, message, relationship))
                    links.pop(relationship, None)
                    errored.add(relationship)
                    continue
                problem, link = self._link(reference, value, operation)
                if problem is not None:
                    errors.append(problem)
                    errored.add(relationship)
                else:
                    assert link is not None
                    links[relationship] = link
                continue
            name = str(raw["name"])
            given.add(name)
            if name in stored or name in errored:
                errors.append(
                    _problem(JSON_PARSER_ERROR, DUPLICATE_FIELD_MESSAGE.format(field=name), name)
                )
                stored.pop(name, None)
                errored.add(name)
                continue
            allowed = raw.get("createable") if operation == "create" else raw.get("updateable")
            if not allowed or raw.get("type") == "id":
                errors.append(_problem(INVALID_FIELD_FOR_INSERT_UPDATE, not_writable(name), name))
                errored.add(name)
                continue
            problem, converted = self.check_value(raw, value)
            if problem is not None:
                errors.append(problem)
                errored.add(name)
            else:
                stored[name] = converted
        for relationship, link in links.items():
            problem, found = self._look_up(link, given)
            if problem is not None:
                errors.append(problem)
                errored.add(relationship)
            else:
                stored[str(link.reference["name"])] = found
        errors += self._picklists(stored, errored, existing)
        if operation == "create":
            missing = [
                str(raw["name"])
                for raw in self.fields.values()
                if _required_on_create(raw)
                and raw["name"] not in stored
                and raw["name"] not in errored
                and raw["name"] not in through
            ]
            if missing:
                errors.append(
                    _problem(REQUIRED_FIELD_MISSING, required_fields_missing(*missing), *missing)
                )
        return stored, errors

    # -- one value -----------------------------------------------------------------------------

    def check_value(self, raw: Mapping[str, Any], value: Any) -> tuple[WireError | None, Any]:
        """(problem, value to store) for one field value."""
        name, label, kind = str(raw["name"]), str(raw.get("label") or raw["name"]), raw["type"]
        # "" is null for text, picklists and lookups (Salesforce stores it so); for numbers,
        # dates and checkboxes it is a value of the wrong type
        empty = value == "" and (kind in TEXT_TYPES or kind in ("multipicklist", "reference"))
        if value is None or empty:
            if not raw.get("nillable"):
                return _problem(REQUIRED_FIELD_MISSING, required_fields_missing(name), name), None
            if empty and kind in ("picklist", "multipicklist") and raw.get("restrictedPicklist"):
                # "" is not a value of the list (null is how to clear it)
                message = bad_restricted_picklist_value(label, value)
                return _problem(INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, message, name), None
            return None, None
        wrong = _problem(
            INVALID_TYPE_ON_FIELD_IN_RECORD, value_not_of_required_type(label, _shown(value)), name
        )
        if kind in TEXT_TYPES or kind == "multipicklist":
            if not isinstance(value, str):
                return wrong, None
            length = int(raw.get("length") or 0)
            listed = kind in ("picklist", "multipicklist") and raw.get("restrictedPicklist")
            if length and len(value) > length and not listed:  # a listed value is checked so
                message = data_value_too_large(label, value, length)
                return _problem(STRING_TOO_LONG, message, name), None
            return None, value
        if kind == "boolean":
            return (None, value) if isinstance(value, bool) else (wrong, None)
        if kind in INTEGER_TYPES or kind in NUMBER_TYPES:
            return self._number(raw, value, wrong)
        if kind == "date":
            if not isinstance(value, str) or not DATE_TEXT.match(value):
                return wrong, None
            try:
                return None, dt.date.fromisoformat(value).isoformat()
            except ValueError:
                return wrong, None
        if kind == "datetime":
            moment = _datetime(value)
            return (wrong, None) if moment is None else (None, sf_datetime(moment))
        if kind == "time":
            text = _time(value)
            return (wrong, None) if text is None else (None, text)
        if kind == "base64":
            if not isinstance(value, str):
                return wrong, None
            try:
                base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                return wrong, None
            return None, value
        if kind == "reference":
            return self._reference(raw, value, wrong)
        return wrong, None

    def _number(self, raw: Mapping[str, Any], value: Any, wrong: WireError) -> tuple[Any, Any]:
        name, label, kind = str(raw["name"]), str(raw.get("label") or raw["name"]), raw["type"]
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return wrong, None
        text = str(value)
        if len(text) > MAX_NUMBER_TEXT:
            return wrong, None
        if isinstance(value, str) and not NUMERIC_TEXT.match(value):
            return wrong, None
        try:
            number = Decimal(text) if not isinstance(value, float) else Decimal(repr(value))
        except InvalidOperation:
            return wrong, None
        if not number.is_finite():
            return wrong, None
        if kind in INTEGER_TYPES:
            if number != number.to_integral_value():
                return wrong, None
            digits = int(raw.get("digits") or 0)
            if digits and abs(number) >= Decimal(10) ** digits:
                message = value_outside_valid_range(label, _plain(number))
                return _problem(NUMBER_OUTSIDE_VALID_RANGE, message, name), None
            return None, int(number)
        precision, scale = int(raw.get("precision") or 0), int(raw.get("scale") or 0)
        if precision and precision >= scale and abs(number) >= Decimal(10) ** (precision - scale):
            message = value_outside_valid_range(label, _plain(number))
            return _problem(NUMBER_OUTSIDE_VALID_RANGE, message, name), None
        # Extra digits right of the point are rounded, not refused ("DescribeSObjectResult").
        stored = number.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
        return None, float(stored)

    def _reference(self, raw: Mapping[str, Any], value: Any, wrong: WireError) -> tuple[Any, Any]:
        name, label = str(raw["name"]), str(raw.get("label") or raw["name"])
        if not isinstance(value, str):
            return wrong, None
        if not ids.is_valid(value):
            message = id_value_of_incorrect_type(label, value)
            return _problem(MALFORMED_ID, message, name), None
        record_id = ids.to18(value)
        targets = [str(t) for t in raw.get("referenceTo") or []]
        known = set(self.target.prefixes.values())
        # an id of another object; with every target's prefix known, an unknown prefix too
        owner = self.target.prefixes.get(record_id[:3])
        if (owner is not None and owner not in targets) or (
            owner is None and all(target in known for target in targets)
        ):
            message = id_value_of_incorrect_type(label, value)
            return _problem(FIELD_INTEGRITY_EXCEPTION, message, name), None
        if name == RECORD_TYPE_FIELD:
            info = self.record_types.get(record_id)
            if info is None or not info.get("available", True):
                message = id_not_valid_for_user(label, value)
                return _problem(INVALID_CROSS_REFERENCE_KEY, message, name), None
            return None, record_id
        if not self.target.exists(owner or "", record_id):
            return _problem(
                INVALID_CROSS_REFERENCE_KEY, INVALID_CROSS_REFERENCE_MESSAGE, name
            ), None
        return None, record_id

    # -- references set by external id ---------------------------------------------------------

    def _link(
        self, reference: Mapping[str, Any], value: Any, operation: Operation
    ) -> tuple[WireError | None, _Link | None]:
        """The shape of ``{"Account__r": {"Key__c": "X-1"}}``: writable reference, a JSON object
        naming its target (``attributes.type``, needed when polymorphic) and exactly one external
        id (or idLookup) field of it, with a value of that field's type."""
        name, relationship = str(reference["name"]), str(reference["relationshipName"])
        allowed = reference.get("createable" if operation == "create" else "updateable")
        if not allowed:
            return _problem(INVALID_FIELD_FOR_INSERT_UPDATE, not_writable(name), name), None
        if not isinstance(value, dict):
            message = not_a_nested_sobject(relationship)
            return _problem(INVALID_FIELD, message, relationship), None
        targets = [str(target) for target in reference.get("referenceTo") or []]
        attributes = value.get("attributes")
        if attributes is not None:
            kind = attributes.get("type") if isinstance(attributes, dict) else None
            chosen = [t for t in targets if isinstance(kind, str) and t.lower() == kind.lower()]
            if not chosen:
                shown = echo_value(kind if kind is not None else attributes)
                message = invalid_reference_type(shown, relationship)
                return _problem(INVALID_FIELD, message, relationship), None
            target = chosen[0]
        elif len(targets) == 1:
            target = targets[0]
        else:
            message = reference_type_needed(relationship)
            return _problem(INVALID_FIELD, message, relationship), None
        keys = [str(key) for key in value if key != "attributes"]
        if not keys:
            return _problem(INVALID_FIELD, no_key_given(relationship), relationship), None
        if len(keys) > 1:
            return _problem(INVALID_FIELD, more_than_one_key(target), relationship), None
        given = value[keys[0]]
        described = self.target.describe(target)
        if described is None:  # an object the org does not have: no record can match
            return None, _Link(reference, relationship, target, None, keys[0], given)
        key = next(
            (
                raw
                for raw in described.get("fields") or []
                if str(raw.get("name")).lower() == keys[0].lower()
                and (raw.get("externalId") or raw.get("idLookup"))
                and raw.get("type") != "id"
            ),
            None,
        )
        if key is None:
            message = not_an_external_id(keys[0], target)
            return _problem(INVALID_FIELD, message, relationship), None
        numeric = key.get("type") in INTEGER_TYPES or key.get("type") in NUMBER_TYPES
        if numeric:  # a number, or numeric text
            typed = (
                isinstance(given, int)
                or (isinstance(given, float) and math.isfinite(given))
                or (isinstance(given, str) and NUMERIC_TEXT.match(given) is not None)
            )
        else:  # text, or a whole number
            typed = isinstance(given, int | str)
        if isinstance(given, bool) or not typed:
            message = value_not_of_required_type(str(key["name"]), echo_value(given))
            return _problem(INVALID_TYPE_ON_FIELD_IN_RECORD, message, relationship), None
        return None, _Link(reference, relationship, target, key, keys[0], given)

    def _look_up(self, link: _Link, given: set[str]) -> tuple[WireError | None, str | None]:
        """The 18-character id of the one live record of the target with the external id."""
        name = str(link.reference["name"])
        if name in given:  # also set by record id
            message = id_and_external_id(link.relationship, name)
            return _problem(INVALID_FIELD, message, link.relationship), None
        shown = echo_value(link.value)
        if link.key is None:
            message = foreign_key_not_found(shown, link.key_given, link.target)
            return _problem(INVALID_FIELD, message, link.relationship), None
        key = link.key
        field = str(key["name"])
        found = [
            ids.to18(str(row["Id"]))
            for row in self.target.rows(link.target)
            if same_external_id(key, row.get(field), link.value)
        ]
        if not found:
            message = foreign_key_not_found(shown, field, link.target)
            return _problem(INVALID_FIELD, message, link.relationship), None
        if len(found) > 1:
            message = foreign_key_matches_many(shown)
            return _problem(DUPLICATE_EXTERNAL_ID, message, link.relationship), None
        return None, found[0]

    # -- picklists -----------------------------------------------------------------------------

    def _picklists(
        self, stored: dict[str, Any], errored: set[str], existing: Mapping[str, Any] | None
    ) -> list[WireError]:
        """Restricted values, record-type subsets and dependent values of the values stored."""
        errors: list[WireError] = []
        if existing is None:  # a create: what is left out takes the describe's default
            existing = {str(raw["name"]): default_value(raw) for raw in self.fields.values()}
        merged = {**existing, **stored}
        rt_id = merged.get(RECORD_TYPE_FIELD)
        subsets = self.target.record_type_values(rt_id) if isinstance(rt_id, str) else None
        for name in list(stored):
            raw = self.fields[name.lower()]
            kind = raw.get("type")
            value = stored[name]
            if kind not in ("picklist", "multipicklist") or value is None:
                continue
            items = value.split(";") if kind == "multipicklist" else [value]
            active = [e["value"] for e in raw.get("picklistValues") or [] if e.get("active", True)]
            subset = (subsets or {}).get(name)
            label = str(raw.get("label") or name)
            problem = None
            for item in items:
                outside = item not in active or (subset is not None and item not in subset)
                if raw.get("restrictedPicklist") and outside:
                    message = bad_restricted_picklist_value(label, item)
                    problem = _problem(INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, message, name)
                    break
            if problem is None and raw.get("dependentPicklist") and raw.get("controllerName"):
                problem = self._dependent(raw, items, merged, errored)
            if problem is not None:
                errors.append(problem)
                errored.add(name)
                del stored[name]
        return errors

    def _dependent(
        self,
        raw: Mapping[str, Any],
        items: list[str],
        merged: Mapping[str, Any],
        errored: set[str],
    ) -> WireError | None:
        """A dependent value its controller's value (this write's, else the record's) forbids."""
        controller = self.field(str(raw["controllerName"]))
        if controller is None or controller["name"] in errored:
            return None  # a controller hidden by FLS (or refused) cannot be judged
        current = merged.get(controller["name"])
        if controller.get("type") == "boolean":
            options = ["false", "true"]
            key = None if current is None else ("true" if current else "false")
        else:
            options = [str(e["value"]) for e in controller.get("picklistValues") or []]
            key = None if current in (None, "") else str(current)
        allowed: set[str] = set()
        if key is not None and key in options:
            index = options.index(key)
            for entry in raw.get("picklistValues") or []:
                valid_for = entry.get("validFor")
                if entry.get("active", True) and valid_for and index in decode_valid_for(valid_for):
                    allowed.add(str(entry["value"]))
        name, label = str(raw["name"]), str(raw.get("label") or raw["name"])
        for item in items:
            if item in allowed:
                continue
            if raw.get("restrictedPicklist"):
                message = bad_restricted_picklist_value(label, item)
                return _problem(INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, message, name)
            controller_label = str(controller.get("label") or controller["name"])
            message = dependent_value_not_valid(label, item, controller_label, key or "empty")
            return _problem(FIELD_INTEGRITY_EXCEPTION, message, name)
        return None


def same_external_id(key: Mapping[str, Any], stored: Any, given: Any) -> bool:
    """Does a record's value of the external id field ``key`` equal the value given? Numbers
    compare as numbers; text as text, ignoring case unless the field is ``caseSensitive``."""
    if stored is None or given is None:
        return False
    if key.get("type") in INTEGER_TYPES or key.get("type") in NUMBER_TYPES:
        left, right = _key_number(stored), _key_number(given)
        return left is not None and left == right
    text = given if isinstance(given, str) else echo_value(given)
    held = stored if isinstance(stored, str) else echo_value(stored)
    return held == text if key.get("caseSensitive") else held.lower() == text.lower()


def _key_number(value: Any) -> Decimal | None:
    """A number of an external id (int, finite float or numeric text), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, str) and len(value) <= MAX_NUMBER_TEXT and NUMERIC_TEXT.match(value):
        return Decimal(value)
    return None


def default_value(raw: Mapping[str, Any]) -> Any:
    """The describe's default for a field a create leaves out (None when it has none)."""
    if raw.get("defaultValue") is not None:
        return raw["defaultValue"]
    if raw.get("type") in ("picklist", "multipicklist"):
        for entry in raw.get("picklistValues") or []:
            if entry.get("defaultValue") and entry.get("active", True):
                return entry["value"]
    if raw.get("type") == "boolean":
        return False
    return None


def _plain(number: Decimal) -> str:
    """A number as plain text: 1E+15 → 1000000000000000, 2.50 → 2.5."""
    return format(number.normalize(), "f")


def _required_on_create(raw: Mapping[str, Any]) -> bool:
    """Required on create: not nillable, createable, not defaulted on create, not a checkbox."""
    return (
        not raw.get("nillable")
        and bool(raw.get("createable"))
        and not raw.get("defaultedOnCreate")
        and raw.get("type") != "boolean"
    )


def _datetime(value: Any) -> dt.datetime | None:
    """An ISO datetime with a zone (Z, +HH:MM or +HHMM), in UTC; None when it is not one."""
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value):
        return None
    text = value
    if re.search(r"[+-]\d{4}$", text):
        text = text[:-2] + ":" + text[-2:]
    try:
        moment = dt.datetime.fromisoformat(text)
        if moment.tzinfo is None or moment.utcoffset() is None:
            return None
        return moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None


def _time(value: Any) -> str | None:
    """A time of day as Salesforce answers it (``HH:MM:SS.sssZ``); None when it is not one."""
    match = TIME_TEXT.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    hour, minute, second, fraction = match.groups()
    try:
        moment = dt.time(int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    millis = (fraction or "0")[:3].ljust(3, "0")
    return f"{moment.isoformat()}.{millis}Z"
