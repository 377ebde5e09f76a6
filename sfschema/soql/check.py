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

from typing import TYPE_CHECKING

from sfschema.errors import SoqlCheckError, SoqlSyntaxError
from sfschema.soql.ast import Call, FieldsSelector, From, Query, SelectExpr, SubQuery, TypeOf
from sfschema.soql.check_limits import MAX_FIELDS_LIMIT
from sfschema.soql.check_terms import MAX_STRING_LENGTH, TermChecks, group_key, has_aggregate
from sfschema.soql.compiler import render
from sfschema.soql.diagnostics import BIND_HINT, Diagnostic, Scope
from sfschema.soql.parser import parse
from sfschema.suggest import close_matches

if TYPE_CHECKING:
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
    checker = _Checker(schema, text, bind_hint)
    source = text if text is not None else render(query)
    if len(source) > MAX_QUERY_LENGTH:
        checker.error(
            "MALFORMED_QUERY",
            f"SOQL statements can not be longer than {MAX_QUERY_LENGTH} characters "
            f"(this one has {len(source)})",
            None,
        )
    try:
        checker.query(query, "top", None, None, 0)
    except RecursionError:
        checker.error("MALFORMED_QUERY", "the query nests too deeply to check", None)
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


def syntax_diagnostic(exc: SoqlSyntaxError) -> Diagnostic:
    """The one error diagnostic for a text that does not parse."""
    return Diagnostic("error", exc.code, exc.reason, exc.pos, exc.line, exc.column)


class _Checker(TermChecks):
    def query(
        self, q: Query, kind: str, parent: Scope | None, outer: Query | None, depth: int
    ) -> Scope:
        self.queries.append(q)
        try:
            return self.query_body(q, kind, parent, outer, depth)
        finally:
            self.queries.pop()

    def query_body(
        self, q: Query, kind: str, parent: Scope | None, outer: Query | None, depth: int
    ) -> Scope:
        scope = self.source(q.from_, kind, parent)
        self.grouping(q)
        self.duplicates(q, scope)
        for item in q.select:
            if isinstance(item, SelectExpr):
                self.expr(item.expr, scope, "select")
            elif isinstance(item, FieldsSelector):
                if item.kind != "STANDARD" and not self.fields_bounded(q):
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
                self.subquery(item, depth + 1)
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

    def source(self, source: From, kind: str, parent: Scope | None) -> Scope:
        if self.schema is None:
            return Scope(None, source.alias)
        schema = self.schema
        if kind == "child":
            return self.child_source(source, parent)
        if len(source.path) > 1:
            self.error(
                "MALFORMED_QUERY",
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
                self.add(
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
            self.error(
                "INVALID_TYPE",
                f"sObject type '{name}' is not supported. If you are attempting to use a custom "
                "object, be sure to append the '__c' after the entity name." + hint,
                source.pos,
                matches[0] if matches else None,
            )
            return Scope(None, source.alias)
        if not schema.sobject(resolved).queryable:
            self.error("INVALID_TYPE", f"entity type {resolved} does not support query", source.pos)
        return Scope(resolved, source.alias)

    def child_source(self, source: From, parent: Scope | None) -> Scope:
        if parent is None or parent.object is None or self.schema is None:
            return Scope(None, source.alias)
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
            return Scope(None, source.alias)
        if not self.schema.has_object(child):
            self.add(
                "warning",
                "NOT_CHECKED",
                f"{child} not in snapshot; (SELECT … FROM {source.name}) not checked",
                source.pos,
                None,
            )
            return Scope(None, source.alias)
        qualifier = self.schema.resolve_name(child)
        return Scope(qualifier, source.alias)

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
        if q.group_by is None and not any(has_aggregate(e.expr) for e in exprs):
            return
        grouped = {group_key(item) for item in q.group_by.items} if q.group_by else set()
        for item in exprs:
            if has_aggregate(item.expr) or (
                isinstance(item.expr, Call) and item.expr.name == "GROUPING"
            ):
                continue
            if group_key(item.expr) not in grouped:
                self.error(
                    "MALFORMED_QUERY",
                    f"Field must be grouped or aggregated: {render(item.expr)}",
                    item.expr.pos,
                )
        for order in q.order_by:
            if not has_aggregate(order.expr) and group_key(order.expr) not in grouped:
                if isinstance(order.expr, Call) and order.expr.name == "GROUPING":
                    continue
                self.error(
                    "MALFORMED_QUERY",
                    f"Ordered field must be grouped or aggregated: {render(order.expr)}",
                    order.expr.pos,
                )

    # -- expressions -----------------------------------------------------------------------------
