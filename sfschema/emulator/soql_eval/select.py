"""SELECT of a record query: fields, parent paths, TYPEOF, FIELDS() and child subqueries.

A record comes out as Salesforce writes it ("Query", REST API Developer Guide): ``attributes``
{type, url} first, then the selected fields in SELECT order with the describe's casing; a parent
path is a nested object with its own ``attributes`` (``null`` for an empty lookup); a child
subquery is ``{totalSize, done, records}`` (``null`` when it has no rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sfschema import salesforce_errors as sfe
from sfschema.emulator.soql_eval.objects import Context, FieldPath, Hop, ObjectView, stored
from sfschema.emulator.soql_eval.result import ChildRows
from sfschema.emulator.soql_eval.terms import Term, term
from sfschema.emulator.soql_eval.values import wire
from sfschema.soql.ast import (
    Call,
    Field,
    FieldsSelector,
    Query,
    SelectExpr,
    SubQuery,
    TypeOf,
)
from sfschema.soql.check_limits import fields_bounded
from sfschema.soql.diagnostics import Reporter
from sfschema.soql.resolve import NAME_OBJECT_FIELDS

COMPOUND_TYPES = ("address", "location")


@dataclass
class Leaf:
    key: str
    field: dict[str, Any]


@dataclass
class Parent:
    """A parent relationship in SELECT: its selected fields, nested parents and TYPEOF."""

    key: str
    hop: Hop
    columns: dict[str, Any] = field(default_factory=dict)  # lower-case key -> Leaf | Parent
    whens: dict[str, list[FieldPath]] | None = None  # TYPEOF: object (lower) -> fields
    else_: list[FieldPath] | None = None


@dataclass
class Computed:
    """A function of a field in SELECT (toLabel), under the field's name or its alias."""

    key: str
    term: Term


@dataclass
class Child:
    key: str
    rows: Callable[[dict[str, Any]], ChildRows | None]


def url(ctx: Context, object_name: str, record_id: Any) -> str:
    return f"/services/data/v{ctx.version}.0/sobjects/{object_name}/{record_id}"


def attributes(ctx: Context, object_name: str, record: dict[str, Any]) -> dict[str, Any]:
    return {"type": object_name, "url": url(ctx, object_name, wire("id", record.get("Id")))}


class Shaper:
    """Writes the selected columns of one (sub)query's records."""

    def __init__(self, ctx: Context, obj: ObjectView, query: Query, child_runner: Any) -> None:
        self.ctx = ctx
        self.obj = obj
        self.alias = query.from_.alias
        self.columns: dict[str, Any] = {}
        for item in query.select:
            if isinstance(item, SelectExpr):
                self._expr(item)
            elif isinstance(item, FieldsSelector):
                self._fields(item, query)
            elif isinstance(item, TypeOf):
                self._typeof(item)
            else:
                assert isinstance(item, SubQuery)
                rows = child_runner(item)
                key = item.query.from_.path[-1]
                relationship = obj.children.get(key.lower())
                name = str(relationship["relationshipName"]) if relationship else key
                self.columns[f"child:{name.lower()}"] = Child(name, rows)

    # -- plan ----------------------------------------------------------------------------------

    def _expr(self, item: SelectExpr) -> None:
        expr = item.expr
        if isinstance(expr, Call) and expr.name == "toLabel" and isinstance(expr.args[0], Field):
            found = term(self.ctx, self.obj, self.alias, expr, "SELECT")
            key = item.alias or str(found.key[-1])
            name = (
                item.alias
                or self.ctx.resolve(self.obj, expr.args[0].path, self.alias, expr.pos).leaf["name"]
            )
            self.columns[f"computed:{key}"] = Computed(str(name), found)
            return
        if isinstance(expr, Call):
            raise self.ctx.unsupported(expr.pos, f"{expr.name}() in SELECT")
        if item.alias is not None:
            raise self.ctx.unsupported(
                expr.pos, f"the alias {item.alias} outside an aggregate query"
            )
        assert isinstance(expr, Field)
        path = self.ctx.resolve(self.obj, expr.path, self.alias, expr.pos)
        self.add_path(self.columns, path)

    def add_path(self, columns: dict[str, Any], path: FieldPath) -> None:
        for hop in path.hops:
            key = hop.name.lower()
            parent = columns.get(key)
            if not isinstance(parent, Parent):
                parent = columns[key] = Parent(hop.name, hop)
            columns = parent.columns
        leaf_name = str(path.leaf["name"])
        columns.setdefault(leaf_name.lower(), Leaf(leaf_name, path.leaf))

    def _fields(self, item: FieldsSelector, query: Query) -> None:
        if item.kind != "STANDARD" and not fields_bounded(Reporter(None, None), query):
            raise self.ctx.error(sfe.MALFORMED_QUERY, item.pos, sfe.FIELDS_UNBOUNDED_MESSAGE)
        for described in self.obj.fields:
            custom = bool(described.get("custom"))
            if item.kind == "ALL" or (item.kind == "CUSTOM") == custom:
                name = str(described["name"])
                self.columns.setdefault(name.lower(), Leaf(name, described))

    def _typeof(self, item: TypeOf) -> None:
        ctx = self.ctx
        reference = self.obj.relationships.get(item.field.lower())
        if reference is None:
            raise ctx.error(
                sfe.INVALID_FIELD, item.pos, sfe.relationship_not_understood(item.field)
            )
        hop = Hop(reference, tuple(reference.get("referenceTo") or ()))
        targets = {t.lower(): t for t in hop.targets}
        whens: dict[str, list[FieldPath]] = {}
        for when in item.whens:
            target = targets.get(when.object.lower())
            if target is None:
                raise ctx.error(
                    sfe.INVALID_FIELD,
                    item.pos,
                    f"TYPEOF {item.field}: {when.object} is not one of the objects "
                    f"{item.field} can point to",
                )
            if not ctx.org_has(target):
                raise ctx.unsupported(item.pos, f"TYPEOF WHEN {target}: not in the org's snapshot")
            target_obj = ctx.obj(target, item.pos)
            whens[target.lower()] = [
                ctx.resolve(target_obj, f.path, None, f.pos) for f in when.fields
            ]
        else_ = []
        by_lower = {n.lower(): n for n in NAME_OBJECT_FIELDS}
        for f in item.else_:
            if len(f.path) != 1 or f.path[0].lower() not in by_lower:
                raise ctx.error(
                    sfe.INVALID_FIELD, f.pos, sfe.no_such_column_on_entity(f.dotted, "Name")
                )
            name = by_lower[f.path[0].lower()]
            else_.append(FieldPath((), {"name": name, "type": NAME_OBJECT_FIELDS[name]}))
        self.columns[hop.name.lower()] = Parent(hop.name, hop, whens=whens, else_=else_)

    # -- rows ----------------------------------------------------------------------------------

    def shape(self, record: dict[str, Any]) -> dict[str, Any]:
        out = {"attributes": attributes(self.ctx, self.obj.name, record)}
        self._write(out, self.columns, record, self.obj.name)
        return out

    def _write(
        self, out: dict[str, Any], columns: dict[str, Any], record: dict[str, Any], object_name: str
    ) -> None:
        for column in columns.values():
            if isinstance(column, Leaf):
                out[column.key] = self._leaf(column, record, object_name)
            elif isinstance(column, Parent):
                out[column.key] = self._parent(column, record)
            elif isinstance(column, Computed):
                out[column.key] = column.term.wire(record)
            else:
                assert isinstance(column, Child)
                out[column.key] = column.rows(record)

    def _leaf(self, leaf: Leaf, record: dict[str, Any], object_name: str) -> Any:
        field_type = str(leaf.field.get("type"))
        name = leaf.key
        if field_type in COMPOUND_TYPES:
            return _compound(self.ctx, object_name, name, record)
        if self._is_name_object(leaf):
            return wire(field_type, self.ctx.name_object_value(object_name, record, name))
        return wire(field_type, stored(record, name))

    @staticmethod
    def _is_name_object(leaf: Leaf) -> bool:
        return set(leaf.field) == {"name", "type"}  # a Name-object pseudo field

    def _parent(self, column: Parent, record: dict[str, Any]) -> Any:
        found = self.ctx.follow(record, column.hop)
        if found is None:
            return None
        object_name, parent = found
        out = {"attributes": attributes(self.ctx, object_name, parent)}
        if column.whens is not None:
            fields = column.whens.get(object_name.lower())
            columns: dict[str, Any] = {}
            for path in fields if fields is not None else column.else_ or []:
                self.add_path(columns, path)
            self._write(out, columns, parent, object_name)
            return out
        self._write(out, column.columns, parent, object_name)
        return out


def _compound(ctx: Context, object_name: str, name: str, record: dict[str, Any]) -> Any:
    """An address or location field made from its component fields (null when all are)."""
    obj = ctx.obj(object_name)
    parts: dict[str, Any] = {}
    prefix = name[: -len("Address")] if name.endswith("Address") else ""
    for described in obj.fields:
        if described.get("compoundFieldName") != name or described["name"] == name:
            continue
        part = str(described["name"])
        if part.endswith("__s"):  # geolocation: Loc__Latitude__s
            key = part.rsplit("__", 2)[-2].lower()
        else:
            key = part[len(prefix) :] if part.startswith(prefix) else part
            key = key[:1].lower() + key[1:]
        parts[key] = wire(str(described.get("type")), stored(record, part))
    if not parts or all(value is None for value in parts.values()):
        return None
    return dict(sorted(parts.items()))
