"""Pydantic models of Salesforce describe JSON (no I/O).

Attribute names are the wire keys, so a payload round-trips: unknown keys are kept
(``extra="allow"``) and ``to_json()`` gives back what was parsed.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sfschema.errors import DescribeError

FieldType = Literal[
    "string",
    "picklist",
    "multipicklist",
    "combobox",
    "reference",
    "base64",
    "boolean",
    "currency",
    "textarea",
    "int",
    "double",
    "percent",
    "phone",
    "id",
    "date",
    "datetime",
    "time",
    "url",
    "email",
    "encryptedstring",
    "datacategorygroupreference",
    "location",
    "address",
    "anyType",
    "complexvalue",
    "long",
]
FIELD_TYPES: frozenset[str] = frozenset(get_args(FieldType))


class _Describe(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, protected_namespaces=(), defer_build=True)

    def to_json(self) -> dict[str, Any]:
        """The payload as it was parsed (unknown keys included)."""
        return self.model_dump(mode="json", exclude_unset=True)


class PicklistEntry(_Describe):
    value: str
    label: str | None = None
    active: bool = True
    defaultValue: bool = False
    validFor: str | None = None


class RecordTypeInfo(_Describe):
    recordTypeId: str
    name: str
    developerName: str | None = None
    active: bool = True
    available: bool = True
    defaultRecordTypeMapping: bool = False
    master: bool = False


class ChildRelationship(_Describe):
    childSObject: str
    field: str
    relationshipName: str | None = None
    cascadeDelete: bool = False


class FieldDescribe(_Describe):
    name: str
    type: FieldType
    label: str = ""
    length: int = 0
    byteLength: int = 0
    precision: int = 0
    scale: int = 0
    digits: int = 0
    nillable: bool = True
    createable: bool = False
    updateable: bool = False
    defaultedOnCreate: bool = False
    calculated: bool = False
    calculatedFormula: str | None = None
    autoNumber: bool = False
    custom: bool = False
    unique: bool = False
    externalId: bool = False
    idLookup: bool = False
    nameField: bool = False
    filterable: bool = True
    sortable: bool = True
    groupable: bool = True
    aggregatable: bool = True
    restrictedPicklist: bool = False
    dependentPicklist: bool = False
    controllerName: str | None = None
    picklistValues: tuple[PicklistEntry, ...] = ()
    referenceTo: tuple[str, ...] = ()
    relationshipName: str | None = None
    polymorphicForeignKey: bool = False
    compoundFieldName: str | None = None
    defaultValue: Any = None
    soapType: str | None = None
    extraTypeInfo: str | None = None
    htmlFormatted: bool = False

    @property
    def read_only(self) -> bool:
        """Never writable: neither createable nor updateable."""
        return not (self.createable or self.updateable)

    @property
    def required_on_create(self) -> bool:
        """Salesforce says REQUIRED_FIELD_MISSING when a create omits this field."""
        return (
            self.createable
            and not self.nillable
            and not self.defaultedOnCreate
            and self.type != "boolean"
        )

    @property
    def active_entries(self) -> tuple[PicklistEntry, ...]:
        """The picklist entries users can pick (the one active-value filter; describe order)."""
        return tuple(entry for entry in self.picklistValues if entry.active)

    @property
    def active_values(self) -> tuple[str, ...]:
        return tuple(entry.value for entry in self.active_entries)


class SObjectDescribe(_Describe):
    name: str
    label: str = ""
    labelPlural: str = ""
    keyPrefix: str | None = None
    custom: bool = False
    customSetting: bool = False
    createable: bool = True
    updateable: bool = True
    deletable: bool = True
    queryable: bool = True
    retrieveable: bool = True
    searchable: bool = True
    fields: tuple[FieldDescribe, ...] = ()
    recordTypeInfos: tuple[RecordTypeInfo, ...] = ()
    childRelationships: tuple[ChildRelationship, ...] = ()
    urls: dict[str, str] = Field(default_factory=dict)

    def field(self, name: str) -> FieldDescribe | None:
        """A field by API name, case-insensitively (as Salesforce resolves names)."""
        lowered = name.lower()
        for field in self.fields:
            if field.name.lower() == lowered:
                return field
        return None


class GlobalSObject(_Describe):
    name: str
    label: str = ""
    keyPrefix: str | None = None
    custom: bool = False
    customSetting: bool = False
    createable: bool = True
    updateable: bool = True
    deletable: bool = True
    queryable: bool = True
    urls: dict[str, str] = Field(default_factory=dict)


class GlobalDescribe(_Describe):
    encoding: str = "UTF-8"
    maxBatchSize: int = 200
    sobjects: tuple[GlobalSObject, ...] = ()


def parse_sobject(payload: Any, source: str = "describe payload") -> SObjectDescribe:
    """Parse one sObject describe; any defect becomes a DescribeError naming what is wrong."""
    if not isinstance(payload, dict):
        raise DescribeError(f"{source}: expected a JSON object, got {type(payload).__name__}")
    object_name = payload.get("name", "?")
    raw_fields = payload.get("fields")
    if not isinstance(raw_fields, list):
        # Every sObject describe lists its fields (SObject Describe, REST API Developer Guide):
        # without the list, every field would look unknown and every command would mislead.
        raise DescribeError(
            f"{source}: the describe of {object_name} has no 'fields' list; pull it again, or "
            "give the whole GET /sobjects/<Name>/describe payload"
        )
    for raw_field in raw_fields if isinstance(raw_fields, list) else ():
        kind = raw_field.get("type") if isinstance(raw_field, dict) else None
        if isinstance(raw_field, dict) and not (isinstance(kind, str) and kind in FIELD_TYPES):
            raise DescribeError(
                f"{source}: field {object_name}.{raw_field.get('name', '?')} has unknown "
                f"describe type {raw_field.get('type')!r} "
                f"(known: {', '.join(sorted(FIELD_TYPES))})"
            )
    try:
        return SObjectDescribe.model_validate(payload)
    except ValidationError as exc:
        raise DescribeError(f"{source}: invalid describe of {object_name}: {_first(exc)}") from exc


def parse_global(payload: Any, source: str = "global describe") -> GlobalDescribe:
    """Parse a global describe (GET /sobjects/)."""
    try:
        return GlobalDescribe.model_validate(payload)
    except ValidationError as exc:
        raise DescribeError(f"{source}: invalid global describe: {_first(exc)}") from exc


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}"
