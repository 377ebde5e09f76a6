"""The checker's rules for fields, functions, TYPEOF and conditions (WHERE and HAVING)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfschema import salesforce_errors as errors
from sfschema.soql.ast import (
    And,
    Call,
    Comparison,
    Field,
    Literal,
    Not,
    Or,
    Param,
    SelectExpr,
    SubQuery,
    TypeOf,
    ValueList,
    walk,
)
from sfschema.soql.check_limits import LimitChecks
from sfschema.soql.compiler import render
from sfschema.soql.diagnostics import Scope
from sfschema.soql.functions import AGGREGATES, DATE_FUNCTIONS
from sfschema.soql.literals import LikePattern
from sfschema.soql.resolve import (
    NAME_OBJECT_FIELDS,
    operator_problem,
    resolve_path,
    value_kind,
    value_problem,
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


class TermChecks(LimitChecks):
    def expr(self, node: Any, scope: Scope, usage: str) -> FieldDescribe | None:
        """Check a field or function; return the (pseudo) field describing its value."""
        if isinstance(node, Field):
            return self.field(node, scope, usage)
        if not isinstance(node, Call):
            return None
        name = node.name
        if name == "DISTANCE":
            self.distance(node, scope)
            return _pseudo(render(node), "double")
        inner_usage = "aggregate" if name in AGGREGATES else usage
        args = [self.expr(arg, scope, inner_usage) for arg in node.args]
        first = args[0] if args else None
        label = render(node)
        if name in ("SUM", "AVG") and first is not None and value_kind(first.type) != "number":
            self.error(
                "INVALID_FIELD",
                f"{name}() needs a number field; {first.name} is {first.type}",
                node.pos,
            )
        if name in DATE_FUNCTIONS and first is not None and first.type not in ("date", "datetime"):
            self.error(
                "INVALID_FIELD",
                f"{name}() needs a date or datetime field; {first.name} is {first.type}",
                node.pos,
            )
        if name == "convertCurrency" and first is not None and first.type != "currency":
            self.error(
                "INVALID_FIELD",
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

    def distance(self, node: Call, scope: Scope) -> None:
        """``DISTANCE(location, GEOLOCATION(lat, lon) | location, 'mi' | 'km')`` (the tree
        checks the shape and the unit). A location is a geolocation or address compound field
        (SOQL and SOSL Reference, "DISTANCE"), used through DISTANCE even where the field
        itself cannot be filtered or sorted on."""
        for arg in node.args[:2]:
            if not isinstance(arg, Field):
                continue
            found = self.field(arg, scope, "distance")
            if found is not None and found.type not in LOCATION_TYPES:
                self.error(
                    errors.INVALID_FIELD,
                    f"DISTANCE() takes a geolocation or address field; {found.name} is "
                    f"{found.type}",
                    arg.pos,
                )

    def field(
        self, node: Field, scope: Scope, usage: str, origin: tuple[Any, ...] = ()
    ) -> FieldDescribe | None:
        self.parent_path(node, scope, origin)
        if scope.object is None or self.schema is None:
            return None
        resolved = resolve_path(self.schema, scope.object, node.path, scope.alias)
        if resolved.problem is not None:
            self.problem(resolved.problem, node.pos)
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
            self.error(
                "INVALID_FIELD",
                f"field '{leaf.name}' can not be {flag[1]} in a query call",
                node.pos,
            )
        return leaf

    def typeof(self, node: TypeOf, scope: Scope) -> None:
        self.typeof_relationships(node)
        if scope.object is None or self.schema is None:
            return
        sobject = self.schema.sobject(scope.object)
        reference = next(
            (
                f
                for f in sobject.fields
                if f.relationshipName and f.relationshipName.lower() == node.field.lower()
            ),
            None,
        )
        if reference is None:
            self.error(
                "INVALID_FIELD",
                f"TYPEOF {node.field}: no relationship '{node.field}' on entity '{sobject.name}'",
                node.pos,
            )
            return
        targets = {t.lower(): t for t in reference.referenceTo}
        if len(targets) < 2:
            self.add(
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
                self.error(
                    "INVALID_FIELD",
                    f"TYPEOF {node.field} WHEN {when.object}: {node.field} can be "
                    f"{', '.join(reference.referenceTo)}",
                    node.pos,
                    matches[0] if matches else None,
                )
                continue
            if not self.schema.has_object(target):
                self.add(
                    "warning",
                    "NOT_CHECKED",
                    f"{target} not in snapshot; TYPEOF {node.field} WHEN {target} not checked",
                    node.pos,
                    None,
                )
                continue
            origin = ("typeof", node.field.lower(), target.lower())
            for field in when.fields:
                self.field(field, Scope(self.schema.resolve_name(target)), "select", origin)
        for field in node.else_:
            if len(field.path) != 1 or field.path[0].lower() not in {
                n.lower() for n in NAME_OBJECT_FIELDS
            }:
                self.error(
                    "INVALID_FIELD",
                    f"TYPEOF … ELSE {field.dotted}: ELSE selects fields of the Name object "
                    f"({', '.join(sorted(NAME_OBJECT_FIELDS))})",
                    field.pos,
                )

    # -- conditions ------------------------------------------------------------------------------

    def condition(self, node: Any, scope: Scope, clause: str) -> None:
        if isinstance(node, And | Or):
            for operand in node.operands:
                self.condition(operand, scope, clause)
            return
        if isinstance(node, Not):
            self.condition(node.operand, scope, clause)
            return
        assert isinstance(node, Comparison)
        if clause == "WHERE" and has_aggregate(node.left):
            self.error(
                "MALFORMED_QUERY",
                f"aggregate functions belong in HAVING, not WHERE: {render(node.left)}",
                node.pos,
            )
        left = self.expr(node.left, scope, "where" if clause == "WHERE" else "having")
        right = node.right
        distance = isinstance(node.left, Call) and node.left.name == "DISTANCE"
        if distance and node.op not in DISTANCE_OPERATORS:
            # The reference: DISTANCE in WHERE is compared with < or >. Salesforce's
            # errorCode for another operator is not documented; this one is an assumption.
            self.error(
                errors.INVALID_QUERY_FILTER_OPERATOR,
                f"DISTANCE() in {clause} is compared with < or >, not {node.op}",
                node.pos,
                render(Comparison(node.left, node.op[0], node.right))
                if node.op in ("<=", ">=")
                else None,
            )
            return
        values = right.values if isinstance(right, ValueList) else (right,)
        for value in values:
            if isinstance(value, Param):
                fix = self.bind_hint.format(name=value.name)
                self.error(
                    "MALFORMED_QUERY",
                    f"placeholder :{value.name} has no value, and Salesforce takes bind "
                    f"variables only in Apex; give {fix}",
                    value.pos,
                    fix,
                )
            elif isinstance(value, Literal):
                text = value.value.text if isinstance(value.value, LikePattern) else value.value
                if isinstance(text, str) and len(text) > MAX_STRING_LENGTH:
                    self.error(
                        "MALFORMED_QUERY",
                        f"a string literal in {clause} is {len(text)} characters; Salesforce "
                        f"allows {MAX_STRING_LENGTH}",
                        value.pos,
                    )
        if isinstance(right, SubQuery):
            self.semi_join(node, left, right)
            return
        if left is None:
            return
        op_problem = operator_problem(left, node.op)
        if op_problem is not None:
            self.problem(op_problem, node.pos)
            return
        for value in values:
            problem = value_problem(left, node.op, value)
            if problem is not None:
                self.problem(problem, getattr(value, "pos", None) or node.pos)

    def semi_join(self, node: Comparison, left: FieldDescribe | None, sub: SubQuery) -> None:
        inner = sub.query
        scope = self.query(inner, "semi", None, None, 0)
        selected = inner.select
        if len(selected) != 1 or not (
            isinstance(selected[0], SelectExpr) and isinstance(selected[0].expr, Field)
        ):
            self.error(
                "MALFORMED_QUERY",
                "a semi-join subquery (IN (SELECT …)) selects exactly one ID or reference field",
                sub.pos,
            )
            return
        if left is not None and value_kind(left.type) != "id":
            self.error(
                "INVALID_FIELD",
                f"{left.name} IN (SELECT …): the left side of a semi-join must be an ID or "
                f"reference field, not {left.type}",
                node.pos,
            )
        if scope.object is not None and self.schema is not None:
            field = selected[0].expr
            resolved = resolve_path(self.schema, scope.object, field.path, scope.alias)
            if resolved.field is not None and value_kind(resolved.field.type) != "id":
                self.error(
                    "INVALID_FIELD",
                    f"a semi-join subquery must select an ID or reference field; "
                    f"{resolved.field.name} is {resolved.field.type}",
                    field.pos,
                )


def _pseudo(name: str, field_type: str) -> FieldDescribe:
    from sfschema.describe.models import FieldDescribe  # loaded: a schema exists

    return FieldDescribe(name=name, type=field_type)
