"""The checker: a query × an org's schema → every problem Salesforce would answer with.

``check(query_or_text, schema)`` returns a list of ``Diagnostic`` (errors and warnings) in
query order; it never raises for a problem in the query. Without a schema only the rules that
need none run (OFFSET ≤ 2,000, FIELDS() limits, lengths, grouping).

``code`` is the errorCode Salesforce answers with where one is known (INVALID_TYPE,
INVALID_FIELD, INVALID_QUERY_FILTER_OPERATOR, MALFORMED_QUERY, NUMBER_OUTSIDE_VALID_RANGE);
warnings carry sfschema's own codes (NOT_CHECKED, UNKNOWN_PICKLIST_VALUE, POLYMORPHIC_TYPEOF).

>>> from sfschema.soql.check import check
>>> [d.message for d in check("SELECT Id FROM Account OFFSET 2500")]
['OFFSET 2500 is more than Salesforce allows (2000)']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sfschema.describe.models import FieldDescribe
from sfschema.errors import SoqlCheckError, SoqlSyntaxError
from sfschema.schema import OrgSchema
from sfschema.soql.ast import (
    And,
    Call,
    Comparison,
    Field,
    FieldsSelector,
    From,
    Literal,
    Not,
    Or,
    Query,
    SelectExpr,
    SubQuery,
    TypeOf,
    ValueList,
    walk,
)
from sfschema.soql.compiler import render
from sfschema.soql.functions import AGGREGATES, DATE_FUNCTIONS
from sfschema.soql.literals import LikePattern
from sfschema.soql.parser import parse
from sfschema.soql.resolve import (
    NAME_OBJECT_FIELDS,
    Problem,
    operator_problem,
    resolve_path,
    value_kind,
    value_problem,
)
from sfschema.suggest import close_matches

MAX_QUERY_LENGTH = 100_000
MAX_STRING_LENGTH = 4_000
MAX_OFFSET = 2_000
MAX_FIELDS_LIMIT = 200
MAX_CHILD_DEPTH = 5


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: where (``pos`` 0-based, ``line``/``column`` 1-based), what, and a fix."""

    severity: str  # "error" or "warning"
    code: str
    message: str
    pos: int | None = None
    line: int | None = None
    column: int | None = None
    suggestion: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "pos": self.pos,
            "line": self.line,
            "column": self.column,
            "suggestion": self.suggestion,
        }

    def __str__(self) -> str:
        where = f"{self.line}:{self.column} " if self.line is not None else ""
        return f"{self.severity} {self.code} {where}{self.message}"


@dataclass(frozen=True, slots=True)
class _Scope:
    object: str | None  # the described object the query's fields live on; None: unchecked
    alias: str | None = None


def check(
    query: Query | str, schema: OrgSchema | None = None, *, text: str | None = None
) -> list[Diagnostic]:
    """Every problem in a query (text or tree); a text that does not parse gives one error."""
    if isinstance(query, str):
        text = query
        try:
            query = parse(query, params=True)
        except SoqlSyntaxError as exc:
            return [_syntax_diagnostic(exc)]
    checker = _Checker(schema, text)
    source = text if text is not None else render(query)
    if len(source) > MAX_QUERY_LENGTH:
        checker.error(
            "MALFORMED_QUERY",
            f"SOQL statements can not be longer than {MAX_QUERY_LENGTH} characters "
            f"(this one has {len(source)})",
            None,
        )
    checker.query(query, "top", None, None, 0)
    return checker.diagnostics


def check_or_raise(query: Query | str, schema: OrgSchema | None = None) -> list[Diagnostic]:
    """``check`` that raises SoqlCheckError (listing every error) when there is an error."""
    diagnostics = check(query, schema)
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        raise SoqlCheckError(
            f"{len(errors)} problem(s) in the query: " + "; ".join(str(d) for d in errors),
            diagnostics,
        )
    return diagnostics


def _syntax_diagnostic(exc: SoqlSyntaxError) -> Diagnostic:
    return Diagnostic("error", exc.code, exc.reason, exc.pos, exc.line, exc.column)


def _has_aggregate(node: Any) -> bool:
    return any(isinstance(n, Call) and n.name in AGGREGATES for n in walk(node))


def _key(node: Any) -> str:
    return render(node).lower()


class _Checker:
    def __init__(self, schema: OrgSchema | None, text: str | None) -> None:
        self.schema = schema
        self.text = text
        self.diagnostics: list[Diagnostic] = []

    # -- reporting -------------------------------------------------------------------------------

    def add(
        self, severity: str, code: str, message: str, pos: int | None, suggestion: str | None
    ) -> None:
        line = column = None
        if pos is not None and self.text is not None:
            line = self.text.count("\n", 0, pos) + 1
            column = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        self.diagnostics.append(Diagnostic(severity, code, message, pos, line, column, suggestion))

    def error(
        self, code: str, message: str, pos: int | None, suggestion: str | None = None
    ) -> None:
        self.add("error", code, message, pos, suggestion)

    def problem(self, problem: Problem, pos: int | None) -> None:
        severity = "warning" if problem.warning else "error"
        self.add(severity, problem.code, problem.message, pos, problem.suggestion)

    # -- queries ---------------------------------------------------------------------------------

    def query(
        self, q: Query, kind: str, parent: _Scope | None, outer: Query | None, depth: int
    ) -> _Scope:
        scope = self.source(q.from_, kind, parent)
        self.grouping(q)
        for item in q.select:
            if isinstance(item, SelectExpr):
                self.expr(item.expr, scope, "select")
            elif isinstance(item, FieldsSelector):
                if item.kind != "STANDARD" and (q.limit is None or q.limit > MAX_FIELDS_LIMIT):
                    self.error(
                        "MALFORMED_QUERY",
                        f"FIELDS({item.kind}) needs LIMIT {MAX_FIELDS_LIMIT} or less: The SOQL "
                        "FIELDS function is not supported with an unbounded set of fields in "
                        "this API.",
                        item.pos,
                        f"add LIMIT {MAX_FIELDS_LIMIT}",
                    )
            elif isinstance(item, TypeOf):
                self.typeof(item, scope)
            elif isinstance(item, SubQuery):
                if depth + 1 > MAX_CHILD_DEPTH:
                    self.error(
                        "MALFORMED_QUERY",
                        f"parent-to-child subqueries nest at most {MAX_CHILD_DEPTH} levels",
                        item.pos,
                    )
                self.query(item.query, "child", scope, q, depth + 1)
        if q.where is not None:
            self.condition(q.where, scope, "WHERE")
        if q.group_by is not None:
            for expr in q.group_by.items:
                self.expr(expr, scope, "group")
        if q.having is not None:
            self.condition(q.having, scope, "HAVING")
        for order in q.order_by:
            self.expr(order.expr, scope, "order")
        if q.offset is not None:
            if q.offset > MAX_OFFSET:
                self.error(
                    "NUMBER_OUTSIDE_VALID_RANGE",
                    f"OFFSET {q.offset} is more than Salesforce allows ({MAX_OFFSET})",
                    q.pos,
                    f"OFFSET {MAX_OFFSET}",
                )
            if kind == "child" and (outer is None or outer.limit != 1):
                self.error(
                    "MALFORMED_QUERY",
                    "OFFSET in a subquery needs LIMIT 1 on the outer query",
                    q.pos,
                )
        return scope

    def source(self, source: From, kind: str, parent: _Scope | None) -> _Scope:
        if self.schema is None:
            return _Scope(None, source.alias)
        schema = self.schema
        if kind == "child":
            return self.child_source(source, parent)
        if len(source.path) > 1:
            self.error(
                "MALFORMED_QUERY",
                f"FROM {source.name}: a query selects from one object",
                source.pos,
            )
            return _Scope(None)
        name = source.path[0]
        resolved = schema.resolve_name(name)
        if resolved is None:
            listed = schema.global_describe is not None and any(
                s.name.lower() == name.lower() for s in schema.global_describe.sobjects
            )
            if listed:
                self.add(
                    "warning",
                    "NOT_CHECKED",
                    f"{name} not in snapshot; its fields are not checked",
                    source.pos,
                    None,
                )
                return _Scope(None, source.alias)
            matches = close_matches(name, schema.object_names)
            hint = " (did you mean " + " or ".join(map(repr, matches)) + "?)" if matches else ""
            self.error(
                "INVALID_TYPE",
                f"sObject type '{name}' is not supported. If you are attempting to use a custom "
                "object, be sure to append the '__c' after the entity name." + hint,
                source.pos,
                matches[0] if matches else None,
            )
            return _Scope(None, source.alias)
        if not schema.sobject(resolved).queryable:
            self.error("INVALID_TYPE", f"entity type {resolved} does not support query", source.pos)
        return _Scope(resolved, source.alias)

    def child_source(self, source: From, parent: _Scope | None) -> _Scope:
        if parent is None or parent.object is None or self.schema is None:
            return _Scope(None, source.alias)
        path = source.path
        qualifiers = {parent.object.lower()} | ({parent.alias.lower()} if parent.alias else set())
        if len(path) == 2 and path[0].lower() in qualifiers:
            path = path[1:]
        relationship = path[-1]
        child = None if len(path) > 1 else self.schema.child_relationship(parent.object, path[0])
        if child is None:
            names = [
                c.relationshipName
                for c in self.schema.sobject(parent.object).childRelationships
                if c.relationshipName
            ]
            matches = close_matches(relationship, names)
            hint = " (did you mean " + " or ".join(map(repr, matches)) + "?)" if matches else ""
            self.error(
                "INVALID_TYPE",
                f"Didn't understand relationship '{source.name}' in FROM part of query call on "
                f"entity '{parent.object}'. If you are attempting to use a custom relationship, "
                "be sure to append the '__r' after the custom relationship name." + hint,
                source.pos,
                matches[0] if matches else None,
            )
            return _Scope(None, source.alias)
        if not self.schema.has_object(child):
            self.add(
                "warning",
                "NOT_CHECKED",
                f"{child} not in snapshot; (SELECT … FROM {source.name}) not checked",
                source.pos,
                None,
            )
            return _Scope(None, source.alias)
        qualifier = self.schema.resolve_name(child)
        return _Scope(qualifier, source.alias)

    def grouping(self, q: Query) -> None:
        exprs = [item for item in q.select if isinstance(item, SelectExpr)]
        rows = [e for e in exprs if isinstance(e.expr, Call) and e.expr.name == "COUNT"]
        if any(not e.expr.args for e in rows) and len(q.select) > 1:  # type: ignore[union-attr]
            self.error(
                "MALFORMED_QUERY",
                "COUNT() counts rows and must be alone in SELECT; use COUNT(Id) with other fields",
                q.pos,
            )
            return
        if q.group_by is None and not any(_has_aggregate(e.expr) for e in exprs):
            return
        grouped = {_key(item) for item in q.group_by.items} if q.group_by else set()
        for item in exprs:
            if _has_aggregate(item.expr) or (
                isinstance(item.expr, Call) and item.expr.name == "GROUPING"
            ):
                continue
            if _key(item.expr) not in grouped:
                self.error(
                    "MALFORMED_QUERY",
                    f"Field must be grouped or aggregated: {render(item.expr)}",
                    item.expr.pos,
                )
        for order in q.order_by:
            if not _has_aggregate(order.expr) and _key(order.expr) not in grouped:
                if isinstance(order.expr, Call) and order.expr.name == "GROUPING":
                    continue
                self.error(
                    "MALFORMED_QUERY",
                    f"Ordered field must be grouped or aggregated: {render(order.expr)}",
                    order.expr.pos,
                )

    # -- expressions -----------------------------------------------------------------------------

    def expr(self, node: Any, scope: _Scope, usage: str) -> FieldDescribe | None:
        """Check a field or function; return the (pseudo) field describing its value."""
        if isinstance(node, Field):
            return self.field(node, scope, usage)
        if not isinstance(node, Call):
            return None
        name = node.name
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
        if name in ("COUNT", "COUNT_DISTINCT", "DISTANCE") or name in DATE_FUNCTIONS:
            return _pseudo(label, "int")
        if name in ("toLabel", "FORMAT"):
            return _pseudo(label, "string")
        if name in ("SUM", "AVG", "MIN", "MAX", "convertCurrency", "convertTimezone"):
            return None if first is None else _pseudo(label, first.type)
        return None

    def field(self, node: Field, scope: _Scope, usage: str) -> FieldDescribe | None:
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

    def typeof(self, node: TypeOf, scope: _Scope) -> None:
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
            for field in when.fields:
                self.field(field, _Scope(self.schema.resolve_name(target)), "select")
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

    def condition(self, node: Any, scope: _Scope, clause: str) -> None:
        if isinstance(node, And | Or):
            for operand in node.operands:
                self.condition(operand, scope, clause)
            return
        if isinstance(node, Not):
            self.condition(node.operand, scope, clause)
            return
        assert isinstance(node, Comparison)
        if clause == "WHERE" and _has_aggregate(node.left):
            self.error(
                "MALFORMED_QUERY",
                f"aggregate functions belong in HAVING, not WHERE: {render(node.left)}",
                node.pos,
            )
        left = self.expr(node.left, scope, "where" if clause == "WHERE" else "having")
        right = node.right
        values = right.values if isinstance(right, ValueList) else (right,)
        for value in values:
            if isinstance(value, Literal):
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
    return FieldDescribe(name=name, type=field_type)
