"""Aggregate queries: COUNT/COUNT_DISTINCT/SUM/AVG/MIN/MAX with GROUP BY and HAVING.

Rows come out as ``AggregateResult`` records ("Query", REST API Developer Guide): attributes
``{"type": "AggregateResult"}`` without a url; a grouped field under its field name, an
aliased column under its alias, an unaliased aggregate as ``expr0``, ``expr1``… in SELECT order.
Aggregates skip nulls, except COUNT() and COUNT(Id) (SOQL and SOSL Reference, "Aggregate
Functions"). Without GROUP BY there is one row, even over no records.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sfschema import salesforce_errors as sfe
from sfschema.emulator.soql_eval.objects import Context, FieldPath, ObjectView
from sfschema.emulator.soql_eval.result import Result
from sfschema.emulator.soql_eval.terms import Term, term
from sfschema.emulator.soql_eval.values import sort_key, wire
from sfschema.emulator.soql_eval.where import Operand, compile_condition, record_operands
from sfschema.soql.ast import Call, Field, Query, SelectExpr, SubQuery
from sfschema.soql.check_terms import has_aggregate
from sfschema.soql.compiler import render
from sfschema.soql.functions import AGGREGATES

Record = dict[str, Any]
# A group: the rows in it; the reader of a column gets (comparable, wire) values from it.
Group = list[Record]
Column = Callable[[Group], tuple[Any, Any]]


def is_aggregate(query: Query) -> bool:
    """GROUP BY, or an aggregate in SELECT other than a lone COUNT() (which counts rows)."""
    if query.group_by is not None:
        return True
    items = [item for item in query.select if isinstance(item, SelectExpr)]
    lone_count = (
        len(query.select) == 1
        and len(items) == 1
        and isinstance(items[0].expr, Call)
        and items[0].expr.name == "COUNT"
        and not items[0].expr.args
    )
    return not lone_count and any(has_aggregate(item.expr) for item in items)


class Aggregation:
    """An aggregate query with its names resolved; ``run`` groups filtered rows."""

    def __init__(self, ctx: Context, obj: ObjectView, query: Query, semi_join: Any) -> None:
        self.ctx, self.obj, self.query = ctx, obj, query
        self.alias = query.from_.alias
        self.groups: list[Term] = []
        group_by = query.group_by
        if group_by is not None:
            if group_by.kind is not None:
                raise ctx.unsupported(query.pos, f"GROUP BY {group_by.kind}")
            for expr in group_by.items:
                self.groups.append(term(ctx, obj, self.alias, expr, "GROUP BY"))
        self.grouped = {group.key: group for group in self.groups}
        self.count_only = False
        self.columns: list[tuple[str, Column]] = []
        self._select()
        self.predicate = (
            None
            if query.where is None
            else compile_condition(
                ctx, query.where, record_operands(ctx, obj, self.alias), semi_join
            )
        )
        self.having = (
            None
            if query.having is None
            else compile_condition(ctx, query.having, self._having_operand, semi_join)
        )
        self.order = [(self._column(item.expr)[1], item) for item in query.order_by]

    # -- plan ----------------------------------------------------------------------------------

    def _field(self, expr: Any, where: str) -> FieldPath:
        if not isinstance(expr, Field):
            raise self.ctx.unsupported(expr.pos, f"{expr.name}() in {where}")
        return self.ctx.resolve(self.obj, expr.path, self.alias, expr.pos)

    def _select(self) -> None:
        index = 0
        for item in self.query.select:
            if not isinstance(item, SelectExpr):
                pos = getattr(item, "pos", None)
                what = "a subquery" if isinstance(item, SubQuery) else type(item).__name__
                raise self.ctx.unsupported(pos, f"{what} in an aggregate query")
            expr = item.expr
            lone = len(self.query.select) == 1
            if lone and isinstance(expr, Call) and expr.name == "COUNT" and not expr.args:
                self.count_only = True
                return
            kind, column = self._column(expr)
            if isinstance(expr, Field):
                name = item.alias or str(self._field(expr, "SELECT").leaf["name"])
            elif item.alias is not None:
                name = item.alias
            else:
                name, index = f"expr{index}", index + 1
            del kind
            self.columns.append((name, column))

    def _column(self, expr: Any) -> tuple[str, Column]:
        """A grouped term or an aggregate of the group: its kind and how to read it."""
        if not (isinstance(expr, Call) and expr.name in AGGREGATES):
            found = term(self.ctx, self.obj, self.alias, expr, "an aggregate query")
            grouped = self.grouped.get(found.key)
            if grouped is None:
                shown = expr.dotted if isinstance(expr, Field) else render(expr)
                raise self.ctx.error(
                    sfe.MALFORMED_QUERY, expr.pos, f"Field must be grouped or aggregated: {shown}"
                )

            def first(group: Group, grouped: Term = grouped) -> tuple[Any, Any]:
                return (grouped.read(group[0]), grouped.wire(group[0])) if group else (None, None)

            return grouped.kind, first
        return self._aggregate(expr)

    def _aggregate(self, call: Call) -> tuple[str, Column]:
        ctx, name = self.ctx, call.name
        if not call.args:
            return "number", lambda group: (Decimal(len(group)), len(group))
        if len(call.args) != 1:
            raise ctx.unsupported(call.pos, f"{name}() of several fields")
        path = self._field(call.args[0], f"{name}()")
        kind = path.kind

        def values(group: Group) -> list[tuple[Any, Any]]:
            pairs = [(ctx.value(row, path), ctx.raw_value(row, path)) for row in group]
            return [pair for pair in pairs if pair[0] is not None]

        if name == "COUNT":
            return "number", lambda g: (Decimal(n := len(values(g))), n)
        if name == "COUNT_DISTINCT":
            return "number", lambda g: (
                Decimal(n := len({sort_key(kind, v) for v, _ in values(g)})),
                n,
            )
        if name in ("SUM", "AVG"):
            whole = path.field_type in ("int", "long") and name == "SUM"

            def total(group: Group) -> tuple[Any, Any]:
                numbers = [v for v, _ in values(group)]
                if not numbers:
                    return None, None
                result = sum(numbers, Decimal(0))
                if name == "AVG":
                    result /= len(numbers)
                return result, int(result) if whole else float(result)

            return "number", total
        pick = min if name == "MIN" else max

        def extreme(group: Group) -> tuple[Any, Any]:
            found = values(group)
            if not found:
                return None, None
            value, raw = pick(found, key=lambda pair: sort_key(kind, pair[0]))
            return value, wire(path.field_type, raw)

        return kind, extreme

    def _having_operand(self, expr: Any) -> Operand:
        kind, column = self._column(expr)
        return kind, lambda group: column(group)[0]

    # -- rows ----------------------------------------------------------------------------------

    def run(self, rows: list[Record]) -> Result:
        groups: dict[tuple[Any, ...], Group] = {}
        if not self.groups:
            groups[()] = rows
        for row in rows if self.groups else ():
            group_key = tuple(sort_key(group.kind, group.read(row)) for group in self.groups)
            groups.setdefault(group_key, []).append(row)
        result = list(groups.values())
        if self.having is not None:
            result = [group for group in result if self.having(group)]
        for column, item in reversed(self.order):
            descending = item.direction == "DESC"
            nulls_first = item.nulls == "FIRST" if item.nulls else not descending
            null_rank = (0 if nulls_first else 2) if not descending else (2 if nulls_first else 0)

            def key(group: Group, column: Column = column, rank: int = null_rank) -> Any:
                value = column(group)[0]
                return (rank, 0) if value is None else (1, sort_key("text", value))

            result.sort(key=key, reverse=descending)
        offset = self.query.offset or 0
        end = None if self.query.limit is None else offset + self.query.limit
        result = result[offset:end]
        if self.count_only:
            return Result(len(result), [])
        records = []
        for group in result:
            record: dict[str, Any] = {"attributes": {"type": "AggregateResult"}}
            for name, column in self.columns:
                record[name] = column(group)[1]
            records.append(record)
        return Result(len(records), records)
