"""The checker's rules for fields, functions (DISTANCE included) and TYPEOF.

Each rule is a function of the ``Reporter`` it reports to; ``check.py`` runs them per query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfschema import salesforce_errors as errors
from sfschema.soql.ast import (
    Call,
    Field,
    TypeOf,
    walk,
)
from sfschema.soql.check_limits import parent_path, typeof_relationships
from sfschema.soql.compiler import render
from sfschema.soql.diagnostics import Reporter, Scope
from sfschema.soql.functions import AGGREGATES, DATE_FUNCTIONS
from sfschema.soql.resolve import (
    NAME_OBJECT_FIELDS,
    resolve_path,
    value_kind,
)
from sfschema.suggest import close_matches

if TYPE_CHECKING:
    from sfschema.describe.models import FieldDescribe

MAX_STRING_LENGTH = 4_000
LOCATION_TYPES = ("location", "address")
DISTANCE_OPERATORS = ("<", ">")


def has_aggregate(node: Any) -> bool:
    return any(isinstance(n, Call) and n.name in AGGREGATES for n in walk(node))


def group_key(node: Any) -> str:
    return render(node).lower()


def check_expr(r: Reporter, node: Any, scope: Scope, usage: str) -> FieldDescribe | None:
    """Check a field or function; return the (pseudo) field describing its value."""
    if isinstance(node, Field):
        return check_field(r, node, scope, usage)
    if not isinstance(node, Call):
        return None
    name = node.name
    if name == "DISTANCE":
        check_distance(r, node, scope)
        return _pseudo(render(node), "double")
    inner_usage = "aggregate" if name in AGGREGATES else usage
    if name in DATE_FUNCTIONS and usage == "group":
        # GROUP BY CALENDAR_YEAR(CreatedDate) groups the function's value: the datetime field
        # itself need not be groupable ("Date Functions", SOQL and SOSL Reference).
        inner_usage = "select"
    args = [check_expr(r, arg, scope, inner_usage) for arg in node.args]
    first = args[0] if args else None
    label = render(node)
    if name in ("SUM", "AVG") and first is not None and value_kind(first.type) != "number":
        r.error(
            errors.INVALID_FIELD,
            f"{name}() needs a number field; {first.name} is {first.type}",
            node.pos,
        )
    if name in DATE_FUNCTIONS and first is not None and first.type not in ("date", "datetime"):
        r.error(
            errors.INVALID_FIELD,
            f"{name}() needs a date or datetime field; {first.name} is {first.type}",
            node.pos,
        )
    if name == "convertCurrency" and first is not None and first.type != "currency":
        r.error(
            errors.INVALID_FIELD,
            f"convertCurrency() needs a currency field; {first.name} is {first.type}",
            node.pos,
        )
    if name in ("COUNT", "COUNT_DISTINCT") or name in DATE_FUNCTIONS:
        return _pseudo(label, "int")
    if name in ("toLabel", "FORMAT"):
        return _pseudo(label, "string")
    if name in ("SUM", "AVG", "MIN", "MAX", "convertCurrency", "convertTimezone"):
        return None if first is None else _pseudo(label, first.type)
    return None


def check_distance(r: Reporter, node: Call, scope: Scope) -> None:
    """``DISTANCE(location, GEOLOCATION(lat, lon) | location, 'mi' | 'km')`` (the tree
    checks the shape and the unit). A location is a geolocation or address compound field
    (SOQL and SOSL Reference, "DISTANCE"), used through DISTANCE even where the field
    itself cannot be filtered or sorted on."""
    for arg in node.args[:2]:
        if not isinstance(arg, Field):
            continue
        found = check_field(r, arg, scope, "distance")
        if found is not None and found.type not in LOCATION_TYPES:
            r.error(
                errors.INVALID_FIELD,
                f"DISTANCE() takes a geolocation or address field; {found.name} is {found.type}",
                arg.pos,
            )


def check_field(
    r: Reporter, node: Field, scope: Scope, usage: str, origin: tuple[Any, ...] = ()
) -> FieldDescribe | None:
    parent_path(r, node, scope, origin)
    if scope.object is None or r.schema is None:
        return None
    resolved = resolve_path(r.schema, scope.object, node.path, scope.alias)
    if resolved.problem is not None:
        r.problem(resolved.problem, node.pos)
        return None
    leaf = resolved.field
    assert leaf is not None
    if resolved.polymorphic_name_field:
        return leaf
    flag = {
        "where": ("filterable", "filtered"),
        "order": ("sortable", "sorted"),
        "group": ("groupable", "grouped"),
        "aggregate": ("aggregatable", "aggregated"),
    }.get(usage)
    if flag is not None and not getattr(leaf, flag[0]):
        r.error(
            errors.INVALID_FIELD,
            f"field '{leaf.name}' can not be {flag[1]} in a query call",
            node.pos,
        )
    return leaf


def check_typeof(r: Reporter, node: TypeOf, scope: Scope) -> None:
    typeof_relationships(r, node)
    if scope.object is None or r.schema is None:
        return
    sobject = r.schema.sobject(scope.object)
    reference = next(
        (
            f
            for f in sobject.fields
            if f.relationshipName and f.relationshipName.lower() == node.field.lower()
        ),
        None,
    )
    if reference is None:
        r.error(
            errors.INVALID_FIELD,
            f"TYPEOF {node.field}: no relationship '{node.field}' on entity '{sobject.name}'",
            node.pos,
        )
        return
    targets = {t.lower(): t for t in reference.referenceTo}
    if len(targets) < 2:
        r.add(
            "warning",
            "POLYMORPHIC_TYPEOF",
            f"TYPEOF {node.field}: the relationship is not polymorphic (it always points to "
            f"{', '.join(reference.referenceTo) or 'nothing'}); select its fields directly",
            node.pos,
            None,
        )
    for when in node.whens:
        target = targets.get(when.object.lower())
        if target is None:
            matches = close_matches(when.object, list(targets.values()))
            r.error(
                errors.INVALID_FIELD,
                f"TYPEOF {node.field} WHEN {when.object}: {node.field} can be "
                f"{', '.join(reference.referenceTo)}",
                node.pos,
                matches[0] if matches else None,
            )
            continue
        if not r.schema.has_object(target):
            r.add(
                "warning",
                "NOT_CHECKED",
                f"{target} not in snapshot; TYPEOF {node.field} WHEN {target} not checked",
                node.pos,
                None,
            )
            continue
        origin = ("typeof", node.field.lower(), target.lower())
        for field in when.fields:
            check_field(r, field, Scope(r.schema.resolve_name(target)), "select", origin)
    for field in node.else_:
        if len(field.path) != 1 or field.path[0].lower() not in {
            n.lower() for n in NAME_OBJECT_FIELDS
        }:
            r.error(
                errors.INVALID_FIELD,
                f"TYPEOF … ELSE {field.dotted}: ELSE selects fields of the Name object "
                f"({', '.join(sorted(NAME_OBJECT_FIELDS))})",
                field.pos,
            )


def _pseudo(name: str, field_type: str) -> FieldDescribe:
    from sfschema.describe.models import FieldDescribe  # loaded: a schema exists

    return FieldDescribe(name=name, type=field_type)
