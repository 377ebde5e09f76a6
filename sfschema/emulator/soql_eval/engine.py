"""Run one SOQL query against the org: parse, resolve, check, filter, sort, cut, shape.

Order of answers, as Salesforce's: text that does not parse is MALFORMED_QUERY; an unknown or
unreadable object INVALID_TYPE; an unknown or invisible field INVALID_FIELD; then the rules of
sfschema's checker (``sfschema.soql.check``: filterable/sortable/groupable flags, value types,
OFFSET ≤ 2,000, grouping) with their codes. Whatever the evaluator does not implement is
MALFORMED_QUERY naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sfschema import salesforce_errors as sfe
from sfschema.emulator.soql_eval import aggregate
from sfschema.emulator.soql_eval.objects import Context, ObjectView
from sfschema.emulator.soql_eval.result import ChildRows, Result
from sfschema.emulator.soql_eval.select import Shaper
from sfschema.emulator.soql_eval.values import sort_key
from sfschema.emulator.soql_eval.where import Predicate, compile_condition, record_operands
from sfschema.errors import SoqlSyntaxError
from sfschema.schema import OrgSchema
from sfschema.soql.ast import Call, Field, Query, SelectExpr, SubQuery, walk
from sfschema.soql.check import check
from sfschema.soql.parser import parse

Record = dict[str, Any]


def run(ctx: Context) -> Result:
    """The result of ``ctx.text`` as the calling user sees the org."""
    try:
        query = parse(ctx.text)
    except SoqlSyntaxError as exc:
        raise ctx.error(sfe.MALFORMED_QUERY, exc.pos, exc.reason) from None
    _refuse_unsupported(ctx, query)
    obj = ctx.obj(query.from_.path[0], query.from_.pos)
    if aggregate.is_aggregate(query):
        runner = aggregate.Aggregation(ctx, obj, query, _semi_join(ctx))
        _check(ctx, query)
        return runner.run(_filtered(ctx, obj, query, runner.predicate))
    plan = _Plan(ctx, obj, query, None)
    _check(ctx, query)
    rows = plan.rows(ctx.org.records.all(obj.name, include_deleted=ctx.include_deleted))
    if plan.count_only:
        return Result(len(rows), [])
    return Result(len(rows), [plan.shaper.shape(row) for row in rows])


def _refuse_unsupported(ctx: Context, query: Query) -> None:
    """Clauses the evaluator does not implement, in the query or any subquery, are refused."""
    for node in walk(query):
        if not isinstance(node, Query):
            continue
        if node.scope is not None:
            raise ctx.unsupported(node.pos, f"USING SCOPE {node.scope}")
        if node.data_category:
            raise ctx.unsupported(node.pos, "WITH DATA CATEGORY")
        if node.security == "SYSTEM_MODE":
            raise ctx.unsupported(node.pos, "WITH SYSTEM_MODE (field-level security is applied)")
        if node.for_ is not None:
            raise ctx.unsupported(node.pos, f"FOR {node.for_}")
        if node.update is not None:
            raise ctx.unsupported(node.pos, f"UPDATE {node.update}")
        if node is not query and (node.group_by is not None or aggregate.is_aggregate(node)):
            raise ctx.unsupported(node.pos, "GROUP BY or aggregate functions in a subquery")


def _check(ctx: Context, query: Query) -> None:
    """The checker's first error against the objects this query reached, if any."""
    payloads = {view.name: view.payload for view in ctx.viewed()}
    schema = OrgSchema(payloads, ctx.org.global_describe(ctx.user).payload, source="emulator")
    for diagnostic in check(query, schema, text=ctx.text):
        if diagnostic.is_error:
            raise ctx.error(diagnostic.code, diagnostic.pos, diagnostic.message)


def _filtered(
    ctx: Context, obj: ObjectView, query: Query, predicate: Predicate | None
) -> list[Record]:
    rows = ctx.org.records.all(obj.name, include_deleted=ctx.include_deleted)
    return rows if predicate is None else [row for row in rows if predicate(row)]


def _semi_join(ctx: Context) -> Callable[[SubQuery], frozenset[Any]]:
    """The values a semi-join subquery selects (``Id IN (SELECT AccountId FROM Contact)``)."""

    def members(sub: SubQuery) -> frozenset[Any]:
        inner = sub.query
        obj = ctx.obj(inner.from_.path[0], inner.from_.pos)
        item = inner.select[0] if len(inner.select) == 1 else None
        if not (isinstance(item, SelectExpr) and isinstance(item.expr, Field)):
            raise ctx.error(
                sfe.MALFORMED_QUERY,
                sub.pos,
                "a semi-join subquery selects exactly one ID or reference field",
            )
        path = ctx.resolve(obj, item.expr.path, inner.from_.alias, item.expr.pos)
        plan = _Plan(ctx, obj, inner, None, semi=True)
        values = (ctx.value(row, path) for row in plan.rows(ctx.org.records.all(obj.name)))
        return frozenset(value for value in values if value is not None)

    return members


class _Plan:
    """A record query (top level, child subquery or semi-join) with every name resolved."""

    def __init__(
        self,
        ctx: Context,
        obj: ObjectView,
        query: Query,
        parent: ObjectView | None,
        semi: bool = False,
    ) -> None:
        self.ctx, self.obj, self.query = ctx, obj, query
        alias = query.from_.alias
        select = query.select
        self.count_only = (
            len(select) == 1
            and isinstance(select[0], SelectExpr)
            and isinstance(select[0].expr, Call)
            and select[0].expr.name == "COUNT"
            and not select[0].expr.args
        )
        if not semi and not self.count_only:
            self.shaper = Shaper(ctx, obj, query, self.child_runner)
        self.predicate = (
            None
            if query.where is None
            else compile_condition(
                ctx, query.where, record_operands(ctx, obj, alias), _semi_join(ctx)
            )
        )
        self.order = [
            (ctx.resolve(obj, item.expr.path, alias, item.expr.pos), item)
            if isinstance(item.expr, Field)
            else _refuse_order(ctx, item.expr)
            for item in query.order_by
        ]

    def rows(self, records: list[Record]) -> list[Record]:
        if self.predicate is not None:
            records = [row for row in records if self.predicate(row)]
        for path, item in reversed(self.order):
            descending = item.direction == "DESC"
            nulls_first = item.nulls == "FIRST" if item.nulls else not descending
            null_rank = (0 if nulls_first else 2) if not descending else (2 if nulls_first else 0)

            def key(row: Record, path: Any = path, null_rank: int = null_rank) -> Any:
                value = self.ctx.value(row, path)
                if value is None:
                    return (null_rank, 0)
                return (1, sort_key(path.kind, value))

            records.sort(key=key, reverse=descending)
        offset = self.query.offset or 0
        end = None if self.query.limit is None else offset + self.query.limit
        return records[offset:end]

    def child_runner(self, item: SubQuery) -> Callable[[Record], ChildRows | None]:
        """Rows of a child subquery per parent record, grouped once by the parent's Id."""
        ctx, inner = self.ctx, item.query
        path = inner.from_.path
        if len(path) == 2 and path[0].lower() in {
            self.obj.name.lower(),
            (self.query.from_.alias or "").lower(),
        }:
            path = path[1:]
        relationship = self.obj.children.get(path[-1].lower()) if len(path) == 1 else None
        if relationship is None:
            raise ctx.error(
                sfe.INVALID_TYPE,
                inner.from_.pos,
                sfe.child_relationship_not_understood(inner.from_.name),
            )
        child_name = str(relationship["childSObject"])
        if not ctx.org_has(child_name):
            raise ctx.unsupported(
                inner.from_.pos,
                f"the subquery on {inner.from_.name}: {child_name} is not in the org's snapshot",
            )
        child = ctx.obj(child_name, inner.from_.pos)
        plan = _Plan(ctx, child, inner, self.obj)
        if plan.count_only:
            raise ctx.unsupported(inner.pos, "COUNT() in a subquery")
        link = ctx.resolve(child, (str(relationship["field"]),), None, None)
        id_path = ctx.resolve(self.obj, ("Id",), None, None)
        grouped: dict[str, list[Record]] | None = None

        def rows(parent: Record) -> ChildRows | None:
            nonlocal grouped
            if grouped is None:
                grouped = {}
                for row in ctx.org.records.all(child.name, include_deleted=ctx.include_deleted):
                    owner = ctx.value(row, link)
                    if isinstance(owner, str):
                        grouped.setdefault(owner, []).append(row)
            mine = plan.rows(list(grouped.get(str(ctx.value(parent, id_path)), [])))
            if not mine:
                return None
            return ChildRows([plan.shaper.shape(row) for row in mine])

        return rows


def _refuse_order(ctx: Context, expr: Any) -> Any:
    raise ctx.unsupported(expr.pos, f"{expr.name}() in ORDER BY")
