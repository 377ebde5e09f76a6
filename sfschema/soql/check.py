"""The checker: a query × an org's schema → every problem Salesforce would answer with.

``check(query_or_text, schema)`` returns a list of ``Diagnostic`` (errors and warnings) in
query order; it never raises for a problem in the query. The rules are functions sharing one
``Reporter`` (``diagnostics.py``): this module walks queries, sources, grouping and conditions;
``check_terms`` checks fields, functions and TYPEOF; ``check_limits`` counts what spans a
query. Without a schema only the rules that
need none run (OFFSET ≤ 2,000, FIELDS() limits, lengths, grouping).

``code`` is the errorCode Salesforce answers with where one is known (INVALID_TYPE,
INVALID_FIELD, INVALID_QUERY_FILTER_OPERATOR, MALFORMED_QUERY, NUMBER_OUTSIDE_VALID_RANGE);
warnings carry sfschema's own codes (NOT_CHECKED, UNKNOWN_PICKLIST_VALUE, POLYMORPHIC_TYPEOF).

>>> from sfschema.soql.check import check
>>> [d.message for d in check("SELECT Id FROM Account OFFSET 2500")]
['OFFSET 2500 is more than Salesforce allows (2000)']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfschema import salesforce_errors as errors
from sfschema.errors import SoqlCheckError, SoqlSyntaxError
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
    Param,
    Query,
    SelectExpr,
    SubQuery,
    TypeOf,
    ValueList,
)
from sfschema.soql.check_limits import (
    MAX_FIELDS_LIMIT,
    count_subquery,
    duplicates,
    fields_bounded,
)
from sfschema.soql.check_terms import (
    DISTANCE_OPERATORS,
    MAX_STRING_LENGTH,
    check_expr,
    check_typeof,
    group_key,
    has_aggregate,
)
from sfschema.soql.compiler import render
from sfschema.soql.diagnostics import BIND_HINT, Diagnostic, Reporter, Scope
from sfschema.soql.literals import LikePattern
from sfschema.soql.parser import parse
from sfschema.soql.resolve import operator_problem, resolve_path, value_kind, value_problem
from sfschema.suggest import close_matches

if TYPE_CHECKING:
    from sfschema.describe.models import FieldDescribe
    from sfschema.schema import OrgSchema

__all__ = ["MAX_STRING_LENGTH", "Diagnostic", "check", "check_or_raise", "syntax_diagnostic"]

MAX_QUERY_LENGTH = 100_000
MAX_OFFSET = 2_000


def check(
    query: Query | str,
    schema: OrgSchema | None = None,
    *,
    text: str | None = None,
    bind_hint: str = BIND_HINT,
) -> list[Diagnostic]:
    """Every problem in a query (text or tree); a text that does not parse gives one error.

    A ``:name`` placeholder left unbound is an error (MALFORMED_QUERY) where it stands:
    Salesforce's REST API has no bind variables. ``bind_hint`` is the fix its diagnostic
    offers, ``{name}`` standing for the placeholder's name.

    >>> [(d.code, d.column, d.suggestion) for d in check("SELECT Id FROM A WHERE X = :x")]
    [('MALFORMED_QUERY', 28, 'soql(text, x=...)')]
    """
    if isinstance(query, str):
        text = query
        try:
            query = parse(query, params=True)
        except SoqlSyntaxError as exc:
            return [syntax_diagnostic(exc)]
    r = Reporter(schema, text, bind_hint)
    source = text if text is not None else render(query)
    if len(source) > MAX_QUERY_LENGTH:
        r.error(
            errors.MALFORMED_QUERY,
            f"SOQL statements can not be longer than {MAX_QUERY_LENGTH} characters "
            f"(this one has {len(source)})",
            None,
        )
    try:
        check_query(r, query, "top", None, None, 0)
    except RecursionError:
        r.error(errors.MALFORMED_QUERY, "the query nests too deeply to check", None)
    return r.diagnostics


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


def syntax_diagnostic(exc: SoqlSyntaxError) -> Diagnostic:
    """The one error diagnostic for a text that does not parse."""
    return Diagnostic("error", exc.code, exc.reason, exc.pos, exc.line, exc.column)


def check_query(
    r: Reporter, q: Query, kind: str, parent: Scope | None, outer: Query | None, depth: int
) -> Scope:
    r.queries.append(q)
    try:
        return query_body(r, q, kind, parent, outer, depth)
    finally:
        r.queries.pop()


def query_body(
    r: Reporter, q: Query, kind: str, parent: Scope | None, outer: Query | None, depth: int
) -> Scope:
    scope = check_source(r, q.from_, kind, parent)
    grouping(r, q)
    duplicates(r, q, scope)
    for item in q.select:
        if isinstance(item, SelectExpr):
            check_expr(r, item.expr, scope, "select")
        elif isinstance(item, FieldsSelector):
            if item.kind != "STANDARD" and not fields_bounded(r, q):
                r.error(
                    errors.MALFORMED_QUERY,
                    f"FIELDS({item.kind}) needs LIMIT {MAX_FIELDS_LIMIT} or less: The SOQL "
                    "FIELDS function is not supported with an unbounded set of fields in "
                    "this API.",
                    item.pos,
                    f"add LIMIT {MAX_FIELDS_LIMIT}",
                )
        elif isinstance(item, TypeOf):
            check_typeof(r, item, scope)
        elif isinstance(item, SubQuery):
            count_subquery(r, item, depth + 1)
            check_query(r, item.query, "child", scope, q, depth + 1)
    if q.where is not None:
        check_condition(r, q.where, scope, "WHERE")
    if q.group_by is not None:
        for expr in q.group_by.items:
            check_expr(r, expr, scope, "group")
    if q.having is not None:
        check_condition(r, q.having, scope, "HAVING")
    for order in q.order_by:
        check_expr(r, order.expr, scope, "order")
    if q.offset is not None:
        if q.offset > MAX_OFFSET:
            r.error(
                errors.NUMBER_OUTSIDE_VALID_RANGE,
                f"OFFSET {q.offset} is more than Salesforce allows ({MAX_OFFSET})",
                q.pos,
                f"OFFSET {MAX_OFFSET}",
            )
        if kind == "child" and (outer is None or outer.limit != 1):
            r.error(
                errors.MALFORMED_QUERY,
                "OFFSET in a subquery needs LIMIT 1 on the outer query",
                q.pos,
            )
    return scope


def check_source(r: Reporter, source: From, kind: str, parent: Scope | None) -> Scope:
    if r.schema is None:
        return Scope(None, source.alias)
    schema = r.schema
    if kind == "child":
        return child_source(r, source, parent)
    if len(source.path) > 1:
        r.error(
            errors.MALFORMED_QUERY,
            f"FROM {source.name}: a query selects from one object",
            source.pos,
        )
        return Scope(None)
    name = source.path[0]
    resolved = schema.resolve_name(name)
    if resolved is None:
        listed = schema.global_describe is not None and any(
            s.name.lower() == name.lower() for s in schema.global_describe.sobjects
        )
        if listed:
            r.add(
                "warning",
                "NOT_CHECKED",
                f"{name} not in snapshot; its fields are not checked",
                source.pos,
                None,
            )
            return Scope(None, source.alias)
        known = schema.object_names
        if schema.global_describe is not None:  # every object of the org, described or not
            known = [s.name for s in schema.global_describe.sobjects]
        matches = close_matches(name, known)
        hint = " (did you mean " + " or ".join(map(repr, matches)) + "?)" if matches else ""
        r.error(
            errors.INVALID_TYPE,
            f"sObject type '{name}' is not supported. If you are attempting to use a custom "
            "object, be sure to append the '__c' after the entity name." + hint,
            source.pos,
            matches[0] if matches else None,
        )
        return Scope(None, source.alias)
    if not schema.sobject(resolved).queryable:
        r.error(errors.INVALID_TYPE, f"entity type {resolved} does not support query", source.pos)
    return Scope(resolved, source.alias)


def child_source(r: Reporter, source: From, parent: Scope | None) -> Scope:
    if parent is None or parent.object is None or r.schema is None:
        return Scope(None, source.alias)
    path = source.path
    qualifiers = {parent.object.lower()} | ({parent.alias.lower()} if parent.alias else set())
    if len(path) == 2 and path[0].lower() in qualifiers:
        path = path[1:]
    relationship = path[-1]
    child = None if len(path) > 1 else r.schema.child_relationship(parent.object, path[0])
    if child is None:
        names = [
            c.relationshipName
            for c in r.schema.sobject(parent.object).childRelationships
            if c.relationshipName
        ]
        matches = close_matches(relationship, names)
        hint = " (did you mean " + " or ".join(map(repr, matches)) + "?)" if matches else ""
        r.error(
            errors.INVALID_TYPE,
            f"Didn't understand relationship '{source.name}' in FROM part of query call on "
            f"entity '{parent.object}'. If you are attempting to use a custom relationship, "
            "be sure to append the '__r' after the custom relationship name." + hint,
            source.pos,
            matches[0] if matches else None,
        )
        return Scope(None, source.alias)
    if not r.schema.has_object(child):
        r.add(
            "warning",
            "NOT_CHECKED",
            f"{child} not in snapshot; (SELECT … FROM {source.name}) not checked",
            source.pos,
            None,
        )
        return Scope(None, source.alias)
    qualifier = r.schema.resolve_name(child)
    return Scope(qualifier, source.alias)


def grouping(r: Reporter, q: Query) -> None:
    exprs = [item for item in q.select if isinstance(item, SelectExpr)]
    rows = [e for e in exprs if isinstance(e.expr, Call) and e.expr.name == "COUNT"]
    if any(not e.expr.args for e in rows) and len(q.select) > 1:  # type: ignore[union-attr]
        r.error(
            errors.MALFORMED_QUERY,
            "COUNT() counts rows and must be alone in SELECT; use COUNT(Id) with other fields",
            q.pos,
        )
        return
    if q.group_by is None and not any(has_aggregate(e.expr) for e in exprs):
        return
    grouped = {group_key(item) for item in q.group_by.items} if q.group_by else set()
    for item in exprs:
        if has_aggregate(item.expr) or (
            isinstance(item.expr, Call) and item.expr.name == "GROUPING"
        ):
            continue
        if group_key(item.expr) not in grouped:
            r.error(
                errors.MALFORMED_QUERY,
                f"Field must be grouped or aggregated: {render(item.expr)}",
                item.expr.pos,
            )
    for order in q.order_by:
        if not has_aggregate(order.expr) and group_key(order.expr) not in grouped:
            if isinstance(order.expr, Call) and order.expr.name == "GROUPING":
                continue
            r.error(
                errors.MALFORMED_QUERY,
                f"Ordered field must be grouped or aggregated: {render(order.expr)}",
                order.expr.pos,
            )


# -- expressions -----------------------------------------------------------------------------


# -- conditions ------------------------------------------------------------------------------


def check_condition(r: Reporter, node: Any, scope: Scope, clause: str) -> None:
    if isinstance(node, And | Or):
        for operand in node.operands:
            check_condition(r, operand, scope, clause)
        return
    if isinstance(node, Not):
        check_condition(r, node.operand, scope, clause)
        return
    assert isinstance(node, Comparison)
    if clause == "WHERE" and has_aggregate(node.left):
        r.error(
            errors.MALFORMED_QUERY,
            f"aggregate functions belong in HAVING, not WHERE: {render(node.left)}",
            node.pos,
        )
    left = check_expr(r, node.left, scope, "where" if clause == "WHERE" else "having")
    right = node.right
    distance = isinstance(node.left, Call) and node.left.name == "DISTANCE"
    if distance and node.op not in DISTANCE_OPERATORS:
        # The reference: DISTANCE in WHERE is compared with < or >. Salesforce's
        # errorCode for another operator is not documented; this one is an assumption.
        r.error(
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
            fix = r.bind_hint.format(name=value.name)
            r.error(
                errors.MALFORMED_QUERY,
                f"placeholder :{value.name} has no value, and Salesforce takes bind "
                f"variables only in Apex; give {fix}",
                value.pos,
                fix,
            )
        elif isinstance(value, Literal):
            text = value.value.text if isinstance(value.value, LikePattern) else value.value
            if isinstance(text, str) and len(text) > MAX_STRING_LENGTH:
                r.error(
                    errors.MALFORMED_QUERY,
                    f"a string literal in {clause} is {len(text)} characters; Salesforce "
                    f"allows {MAX_STRING_LENGTH}",
                    value.pos,
                )
    if isinstance(right, SubQuery):
        semi_join(r, node, left, right)
        return
    if left is None:
        return
    op_problem = operator_problem(left, node.op)
    if op_problem is not None:
        r.problem(op_problem, node.pos)
        return
    for value in values:
        problem = value_problem(left, node.op, value)
        if problem is not None:
            r.problem(problem, getattr(value, "pos", None) or node.pos)


def semi_join(r: Reporter, node: Comparison, left: FieldDescribe | None, sub: SubQuery) -> None:
    inner = sub.query
    scope = check_query(r, inner, "semi", None, None, 0)
    selected = inner.select
    if len(selected) != 1 or not (
        isinstance(selected[0], SelectExpr) and isinstance(selected[0].expr, Field)
    ):
        r.error(
            errors.MALFORMED_QUERY,
            "a semi-join subquery (IN (SELECT …)) selects exactly one ID or reference field",
            sub.pos,
        )
        return
    if left is not None and value_kind(left.type) != "id":
        r.error(
            errors.INVALID_FIELD,
            f"{left.name} IN (SELECT …): the left side of a semi-join must be an ID or "
            f"reference field, not {left.type}",
            node.pos,
        )
    if scope.object is not None and r.schema is not None:
        field = selected[0].expr
        resolved = resolve_path(r.schema, scope.object, field.path, scope.alias)
        if resolved.field is not None and value_kind(resolved.field.type) != "id":
            r.error(
                errors.INVALID_FIELD,
                f"a semi-join subquery must select an ID or reference field; "
                f"{resolved.field.name} is {resolved.field.type}",
                field.pos,
            )
