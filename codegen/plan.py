"""Planning: describe data → what the generated modules contain. Every decision is made here.

The plan of an object lists the type aliases (one per field: the Python type and the runtime
marker checking it), the fields of the three models with their nullability and defaults, the
imports, and the ``ObjectMeta`` literal. Templates only lay these out.

Rules:

* ``<Object>``: a record as queried. Every visible field, optional and nullable; a parent
  relationship (``Account`` for ``AccountId``) as a dict; compound address/location fields as
  read-only nested models. Restricted picklists are plain text here (a stored value may have been
  deactivated since).
* ``<Object>Create``: createable, non-compound, non-formula, non-autonumber fields. Required (no
  default) when createable, not nillable and not defaulted on create (booleans never). Otherwise
  optional; ``None`` allowed only when the field is nillable.
* ``<Object>Update``: the same for updateable fields, all optional.
* Id checks: an ``id`` field takes its object's key prefix; a reference field the key prefixes of
  its targets, when every target's prefix is known; otherwise it refuses the prefixes of the
  known objects (the snapshot's and ``ids.STANDARD_KEY_PREFIXES``) that are not targets and
  accepts unknown prefixes (custom objects of the org).

>>> from sfschema.schema import OrgSchema
>>> schema = OrgSchema({"Thing__c": {"name": "Thing__c", "fields": [
...     {"name": "Id", "type": "id", "label": "Thing ID", "length": 18, "nillable": False},
...     {"name": "Size__c", "type": "int", "label": "Size", "digits": 3, "createable": True}]}})
>>> plan = plan_object(schema, "Thing__c")
>>> [(f.py_name, f.create, f.update) for f in plan.fields]
[('Id', None, None), ('Size__c', 'nullable', None)]
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Literal

from codegen import naming
from codegen.meta import object_meta
from codegen.pysource import LINE_LENGTH, Call, Code, Expr, Kw, Sub, Tup, lit, width
from codegen.typemap import TypeRule, rule_for
from sfschema import ids
from sfschema.describe.models import FieldDescribe, SObjectDescribe
from sfschema.errors import CodegenError, DescribeError
from sfschema.schema import OrgSchema

Presence = Literal["required", "nullable", "optional"]
_VERSION = re.compile(r"/services/data/v([0-9]+\.[0-9]+)/")  # ASCII digits only
META_NAMES = frozenset({"FieldMeta", "ObjectMeta", "RecordTypeMeta", "META", "MODELS"})


@dataclass(frozen=True)
class Source:
    """Where the describes came from, for the header of every generated file."""

    org: str
    api_version: str

    def header_lines(self) -> tuple[str, ...]:
        return (f"Org: {_safe(self.org)}; API version: {_safe(self.api_version)}",)


@dataclass(frozen=True)
class Alias:
    """A module-level type alias: ``name = expr``."""

    name: str
    expr: Expr


@dataclass(frozen=True)
class Attribute:
    """One model attribute: ``prefix`` followed by its default expression (None: required)."""

    prefix: str
    default: Expr | None


@dataclass(frozen=True)
class FieldPlan:
    api_name: str
    py_name: str
    alias: str | None
    kind: str
    type_alias: str
    read_alias: str
    create: Presence | None
    update: Presence | None


@dataclass(frozen=True)
class ClassNames:
    read: str
    create: str
    update: str


@dataclass(frozen=True)
class ObjectPlan:
    api_name: str
    module: str
    names: ClassNames
    header: tuple[str, ...]  # the docstring lines naming what the module was generated from
    imports: tuple[tuple[str, ...], ...]
    aliases: tuple[Alias, ...]
    fields: tuple[FieldPlan, ...]
    read_attributes: tuple[Attribute, ...]
    create_attributes: tuple[Attribute, ...]
    update_attributes: tuple[Attribute, ...]
    meta: Expr
    models: Expr


@dataclass(frozen=True)
class PackageObject:
    api_name: str
    module: str
    names: ClassNames


@dataclass(frozen=True)
class PackagePlan:
    header: tuple[str, ...]
    objects: tuple[PackageObject, ...]
    exports: tuple[tuple[str, str], ...]  # class name → module, sorted by class name


def _safe(text: str) -> str:
    """Header text without characters that could end a docstring or a line."""
    return "".join(ch if ch.isprintable() and ch not in '"\\' else "?" for ch in text)


def class_names(api_name: str, taken: set[str]) -> ClassNames:
    """The three class names of an object, unique within ``taken`` (which is updated)."""
    blocked = taken | META_NAMES
    read = naming.class_name(api_name, blocked)
    create = naming.class_name(f"{read}Create", blocked | {read})
    update = naming.class_name(f"{read}Update", blocked | {read, create})
    taken.update((read, create, update))
    return ClassNames(read, create, update)


def plan_package(
    schema: OrgSchema, source: Source, objects: list[str] | None = None
) -> PackagePlan:
    """Plan a package: every object (or the named ones), sorted by API name; its module and
    class names. Only names are needed: no describe is parsed here."""
    names = sorted({_resolve(schema, name) for name in objects} if objects else schema.object_names)
    taken_classes: set[str] = set()
    taken_modules: set[str] = set()
    entries: list[PackageObject] = []
    for name in names:
        module = naming.module_name(name, taken_modules)
        taken_modules.add(module)
        entries.append(PackageObject(name, module, class_names(name, taken_classes)))
    exports = sorted(
        (cls, entry.module)
        for entry in entries
        for cls in (entry.names.read, entry.names.create, entry.names.update)
    )
    count = f"{len(entries)} object" + ("" if len(entries) == 1 else "s")
    header = (*source.header_lines(), f"{count}; each module names the describe it comes from")
    return PackagePlan(header, tuple(entries), tuple(exports))


def _resolve(schema: OrgSchema, name: str) -> str:
    """The API name as described (an unknown name is the schema's DescribeError)."""
    return schema.resolve_name(name) or schema.sobject(name).name


def describe_sha256(schema: OrgSchema, object_name: str) -> str:
    """The sha256 of what one object module is generated from: the object's describe and its
    record-type picklist values, as canonical JSON (sorted keys), so a snapshot written with
    another layout hashes the same. Everything else a module uses (other objects' key prefixes,
    class and module names) is written out in the module itself."""
    name = schema.sobject(object_name).name
    inputs = {
        "describe": schema.raw(name),
        "recordTypePicklists": schema.record_type_picklists(name),
    }
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def plan_object(
    schema: OrgSchema,
    object_name: str,
    source: Source | None = None,
    module: str | None = None,
    names: ClassNames | None = None,
) -> ObjectPlan:
    """Plan the module of one object."""
    sobject = schema.sobject(object_name)
    if source is None:
        header = (*Source(schema.source, _api_version(schema)).header_lines(), "Built at run time.")
    else:
        digest = describe_sha256(schema, sobject.name)
        header = (*source.header_lines(), f"Describe sha256: {digest}")
    module = module or naming.module_name(sobject.name)
    names = names or class_names(sobject.name, set())
    planner = _ObjectPlanner(schema, sobject)
    planner.run()
    used = planner.used
    imports = (
        tuple(
            line
            for line, needed in (
                ("import datetime as dt", bool(used & {"date", "datetime", "time"})),
                ("import decimal", "number" in used),
                ("import typing as t", True),
            )
            if needed
        ),
        (
            "from sfschema import runtime as sf",
            "from sfschema.runtime.meta import "
            + ", ".join(
                ["FieldMeta", "ObjectMeta"]
                + (["RecordTypeMeta"] if sobject.recordTypeInfos else [])
            ),
        ),
    )
    return ObjectPlan(
        api_name=sobject.name,
        module=module,
        names=names,
        header=header,
        imports=tuple(group for group in imports if group),
        aliases=tuple(planner.aliases),
        fields=tuple(planner.fields),
        read_attributes=tuple(planner.read),
        create_attributes=tuple(planner.create),
        update_attributes=tuple(planner.update),
        meta=lit(object_meta(schema, sobject.name)),
        models=Tup((Code(names.read), Code(names.create), Code(names.update))),
    )


def _api_version(schema: OrgSchema) -> str:
    """The API version of the manifest, else of the describe URLs, else "unknown"."""
    if schema.manifest is not None and schema.manifest.api_version:
        version = str(schema.manifest.api_version)
        if not _VERSION_TEXT.fullmatch(version):
            raise CodegenError(
                f"{schema.source}: manifest api_version {version!r} is not a version such as "
                "59.0 (ASCII digits); pull the snapshot again"
            )
        return version
    for name in schema.object_names:
        try:
            raw = schema.raw(name)
        except DescribeError:  # another object's broken describe is not this one's concern
            continue
        urls = raw.get("urls") if isinstance(raw, dict) else None
        for url in sorted((urls or {}).values()):
            found = _VERSION.search(str(url))
            if found:
                return found.group(1)
    return "unknown"


_VERSION_TEXT = re.compile(r"[0-9]+\.[0-9]+")


def source_of(schema: OrgSchema, org: str) -> Source:
    """The header data of a package generated from a schema."""
    return Source(org, _api_version(schema))


class _ObjectPlanner:
    def __init__(self, schema: OrgSchema, sobject: SObjectDescribe) -> None:
        self.schema = schema
        self.sobject = sobject
        self.aliases: list[Alias] = []
        self.fields: list[FieldPlan] = []
        self.read: list[Attribute] = []
        self.create: list[Attribute] = []
        self.update: list[Attribute] = []
        self.used: set[str] = set()
        self.taken: set[str] = set()

    def run(self) -> None:
        for index, described in enumerate(self.sobject.fields):
            self._field(index, described)
        field_names = {f.api_name.lower() for f in self.fields}
        for described in self.sobject.fields:
            relationship = described.relationshipName
            if (
                described.type == "reference"
                and relationship
                and relationship.lower() not in field_names
            ):
                field_names.add(relationship.lower())
                py_name, alias = naming.field_name(relationship, self.taken)
                self.taken.add(py_name)
                self.read.append(self._attribute(py_name, alias, "sf.ParentRecord", "nullable"))

    def _field(self, index: int, described: FieldDescribe) -> None:
        where = f"{self.sobject.name}.{described.name}"
        rule = rule_for(described.type, where)
        py_name, alias = naming.field_name(described.name, self.taken)
        self.taken.add(py_name)
        self.used.add(rule.kind)
        room = LINE_LENGTH - width(f"    {py_name}:  | None = None")
        type_alias = naming.type_alias(py_name, index, room)
        self.aliases.append(Alias(type_alias, self._type(rule, described, write=True)))
        read_alias = type_alias
        if rule.kind == "picklist" and self._restricted(described):
            read_alias = "_R" + type_alias[2:]
            self.aliases.append(Alias(read_alias, self._type(rule, described, write=False)))
        never_written = not rule.writable or described.calculated or described.autoNumber
        create: Presence | None = None
        update: Presence | None = None
        if described.createable and not never_written:
            if described.required_on_create:
                create = "required"
            else:
                create = "nullable" if described.nillable else "optional"
        if described.updateable and not never_written:
            update = "nullable" if described.nillable else "optional"
        self.fields.append(
            FieldPlan(
                api_name=described.name,
                py_name=py_name,
                alias=alias,
                kind=rule.kind,
                type_alias=type_alias,
                read_alias=read_alias,
                create=create,
                update=update,
            )
        )
        self.read.append(self._attribute(py_name, alias, read_alias, "nullable"))
        if create is not None:
            self.create.append(self._attribute(py_name, alias, type_alias, create))
        if update is not None:
            self.update.append(self._attribute(py_name, alias, type_alias, update))

    def _attribute(
        self, py_name: str, alias: str | None, type_name: str, presence: Presence
    ) -> Attribute:
        annotation = f"{type_name} | None" if presence == "nullable" else type_name
        alias_arg: tuple[Kw, ...] = (Kw("alias", lit(alias)),) if alias is not None else ()
        default: Expr | None
        if presence == "nullable":
            default = Call("sf.Field", (Code("None"), *alias_arg)) if alias_arg else Code("None")
        elif presence == "optional":
            default = Call("sf.omittable", alias_arg)
        else:
            default = Call("sf.Field", alias_arg) if alias_arg else None
        return Attribute(f"{py_name}: {annotation}", default)

    @staticmethod
    def _restricted(described: FieldDescribe) -> bool:
        return described.restrictedPicklist and bool(described.active_values)

    def _label(self, described: FieldDescribe) -> tuple[Expr, Expr]:
        return lit(described.name), lit(described.label or described.name)

    def _type(self, rule: TypeRule, described: FieldDescribe, write: bool) -> Expr:
        if rule.marker is None:
            return Code(rule.python)
        name, label = self._label(described)
        args: list[Expr | Kw] = [name, label]
        python: Expr = Code(rule.python)
        marker = rule.marker
        kind = rule.kind
        if kind == "picklist" and not (write and self._restricted(described)):
            marker, kind = "Text", "text"
        if kind == "text":
            if described.length > 0:
                args.append(Kw("max_length", lit(described.length)))
        elif kind == "picklist":
            python = Sub("t.Literal", tuple(lit(v) for v in _unique(described.active_values)))
        elif kind == "multipicklist":
            if described.length > 0:
                args.append(Kw("max_length", lit(described.length)))
            if described.restrictedPicklist and described.active_values:
                args.append(Kw("values", lit(_unique(described.active_values))))
        elif kind == "integer":
            digits = described.digits or described.precision
            if digits > 0:
                args.append(Kw("digits", lit(digits)))
        elif kind == "number":
            if described.precision > 0:
                args.append(Kw("precision", lit(described.precision)))
                args.append(Kw("scale", lit(described.scale)))
        elif kind == "id":
            prefixes = self._prefixes(described)
            if prefixes:
                args.append(Kw("prefixes", lit(prefixes)))
            elif described.type == "reference" and described.referenceTo:
                targets = self._open_target_prefixes(described)
                if targets:
                    args.append(Kw("prefixes", lit(targets)))
                args.append(Kw("known", Code(self._known_prefixes_alias())))
        # Salesforce stores "" as null in text, picklist and reference fields: for a field that
        # cannot be null, "" is refused like None (REQUIRED_FIELD_MISSING). For a nillable field
        # "" is passed through unchanged (Salesforce clears the field): the payload keeps the
        # caller's value rather than rewriting it to None.
        if not described.nillable and (
            kind in ("text", "picklist", "multipicklist") or described.type == "reference"
        ):
            args.append(Kw("required", lit(True)))
        return Sub("t.Annotated", (python, Call(f"sf.{marker}", tuple(args))))

    def _prefixes(self, described: FieldDescribe) -> tuple[str, ...]:
        """Key prefixes an id in this field may have; () when they are not all known."""
        if described.type == "id":
            return (self.sobject.keyPrefix,) if self.sobject.keyPrefix else ()
        known = self.schema.key_prefixes
        targets = described.referenceTo
        if not targets or any(target not in known for target in targets):
            return ()
        return tuple(sorted({p for target in targets if (p := known[target])}))

    def _open_target_prefixes(self, described: FieldDescribe) -> tuple[str, ...]:
        """The known key prefixes of a reference's targets when not all are known (a standard
        target counts with its standard prefix too)."""
        targets = set(described.referenceTo)
        known = self.schema.key_prefixes
        found = {p for target in targets if (p := known.get(target))}
        found.update(p for p, owner in ids.STANDARD_KEY_PREFIXES.items() if owner in targets)
        return tuple(sorted(found))

    def _known_prefixes_alias(self) -> str:
        """The module constant listing the key prefixes of every known object (the snapshot's
        and ``ids.STANDARD_KEY_PREFIXES``), in chunks of space-separated prefixes: written once
        per module, shared by its open references."""
        name = "_KNOWN_KEY_PREFIXES"
        if not any(alias.name == name for alias in self.aliases):
            known = {p for p in self.schema.key_prefixes.values() if p}
            known.update(ids.STANDARD_KEY_PREFIXES)
            ordered = sorted(known)
            chunks = tuple(
                " ".join(ordered[start : start + _PREFIXES_PER_CHUNK])
                for start in range(0, len(ordered), _PREFIXES_PER_CHUNK)
            )
            self.aliases.insert(0, Alias(name, lit(chunks)))
        return name


_PREFIXES_PER_CHUNK = 20


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
