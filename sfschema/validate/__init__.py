"""Pre-flight validation: catch what Salesforce would reject before a request costs an API call.

``validate_update`` / ``validate_create`` return a ValidationReport (``ok``, the ``payload`` to
send, ``errors`` and ``warnings`` with the Salesforce error code each one prevents); the
``ensure_valid_*`` variants raise RecordValidationError carrying the report instead.

The source of truth is either an OrgSchema (models are built at run time from the snapshot and
cached), an ObjectModels (``codegen.build``), or the dotted name of a generated package
(``"generated.demo"``); all three give identical reports.

>>> from sfschema.schema import OrgSchema
>>> report = validate_update(
...     OrgSchema.demo(), "Opportunity", "006000000000001", {"ForecastCategoryName": "best case"}
... )
>>> report.ok, report.errors[0].code, report.errors[0].suggestion
(False, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'Best Case')
>>> print(report.errors[0].message)
Forecast Category: bad value for restricted picklist field: best case
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from cachetools import LRUCache

from sfschema.errors import DescribeError
from sfschema.schema import OrgSchema
from sfschema.validate.engine import ModelSet, RecordValidator
from sfschema.validate.report import ValidationIssue, ValidationReport

__all__ = [
    "ModelSet",
    "RecordValidator",
    "ValidationIssue",
    "ValidationReport",
    "ensure_valid_create",
    "ensure_valid_update",
    "models_for",
    "record_validator",
    "validate_create",
    "validate_update",
]

Source = OrgSchema | ModelSet | str

_by_models: LRUCache[int, tuple[ModelSet, RecordValidator]] = LRUCache(maxsize=512)
_by_schema: weakref.WeakKeyDictionary[OrgSchema, dict[str, RecordValidator]] = (
    weakref.WeakKeyDictionary()
)
_by_package: dict[tuple[str, str], RecordValidator] = {}


def models_for(source: Source, object_name: str) -> ModelSet:
    """The Create/Update models and ObjectMeta of one object from any supported source."""
    # codegen is the layer below validate (pyproject.toml's import contracts); it is imported
    # on first use only, so validating with generated models never loads jinja2.
    if isinstance(source, OrgSchema):
        from codegen.build import object_models

        return object_models(source, object_name)
    if isinstance(source, str):
        from codegen.build import generated_models

        return generated_models(source, object_name)
    meta = source.meta
    if meta.name.lower() != object_name.lower():
        raise DescribeError(f"the models given are for {meta.name}, not {object_name}")
    return source


def record_validator(source: Source, object_name: str) -> RecordValidator:
    """The (cached) validator of one object; use it directly in hot loops.

    >>> from sfschema.schema import OrgSchema
    >>> validator = record_validator(OrgSchema.demo(), "Task")
    >>> report = validator.create({"Subject": "Call", "Priority": "high"})
    >>> report.ok, report.warnings[0].code, report.warnings[0].suggestion
    (True, 'UNKNOWN_PICKLIST_VALUE', 'High')
    """
    last = _last
    if last is not None and last[1] == object_name and last[0]() is source:
        return last[2]  # the same object as the call before: a hot loop
    found = _lookup(source, object_name)
    _remember(source, object_name, found)
    return found


_last: tuple[Callable[[], object], str, RecordValidator] | None = None


def _remember(source: Source, object_name: str, found: RecordValidator) -> None:
    global _last
    if isinstance(source, str):  # str cannot be weakly referenced; it is small
        _last = ((lambda: source), object_name, found)
    else:
        _last = (weakref.ref(source), object_name, found)


def _lookup(source: Source, object_name: str) -> RecordValidator:
    if isinstance(source, OrgSchema):
        per_object = _by_schema.get(source)
        if per_object is None:
            per_object = _by_schema.setdefault(source, {})
        found = per_object.get(object_name)
        if found is None:
            found = per_object[object_name] = _validator(models_for(source, object_name))
        return found
    if isinstance(source, str):
        key = (source, object_name)
        found = _by_package.get(key)
        if found is None:
            found = _by_package[key] = _validator(models_for(source, object_name))
        return found
    return _validator(models_for(source, object_name))


def _validator(models: ModelSet) -> RecordValidator:
    """One validator per models object, however the object name was spelt."""
    cached = _by_models.get(id(models))
    if cached is not None and cached[0] is models:
        return cached[1]
    validator = RecordValidator(models)
    _by_models[id(models)] = (models, validator)
    return validator


def validate_update(
    source: Source,
    object_name: str,
    record_id: str,
    field_values: Any,
    record_type_id: str | None = None,
    strict: bool = False,
) -> ValidationReport:
    """Check an update of ``record_id`` before sending it.

    ``record_type_id`` (an id, a name or a developer name) is the record's record type, used for
    picklist subsets; ``strict`` turns open-picklist warnings into errors.
    """
    validator = record_validator(source, object_name)
    return validator.update(record_id, field_values, record_type_id, strict)


def validate_create(
    source: Source,
    object_name: str,
    field_values: Any,
    record_type_id: str | None = None,
    strict: bool = False,
) -> ValidationReport:
    """Check a create before sending it.

    ``record_type_id`` (an id, a name or a developer name) picks the record type; it is added to
    the payload as RecordTypeId when the payload has none.
    """
    validator = record_validator(source, object_name)
    return validator.create(field_values, record_type_id, strict)


def ensure_valid_update(
    source: Source,
    object_name: str,
    record_id: str,
    field_values: Any,
    record_type_id: str | None = None,
    strict: bool = False,
) -> ValidationReport:
    """``validate_update`` that raises RecordValidationError (with ``.report``) on errors."""
    report = validate_update(source, object_name, record_id, field_values, record_type_id, strict)
    return report.raise_for_errors()


def ensure_valid_create(
    source: Source,
    object_name: str,
    field_values: Any,
    record_type_id: str | None = None,
    strict: bool = False,
) -> ValidationReport:
    """``validate_create`` that raises RecordValidationError (with ``.report``) on errors."""
    report = validate_create(source, object_name, field_values, record_type_id, strict)
    return report.raise_for_errors()
