"""Terms: what a query reads from one record, a field path or a date function of one.

Date functions follow the SOQL and SOSL Reference ("Date Functions"): CALENDAR_MONTH 1–12,
DAY_IN_WEEK 1 (Sunday) – 7 (Saturday), WEEK_IN_MONTH and WEEK_IN_YEAR count weeks of seven days
from the 1st, DAY_ONLY the date of a datetime, HOUR_IN_DAY 0–23, FISCAL_MONTH/FISCAL_QUARTER
from the org's fiscal year start. A datetime is read in UTC unless wrapped in convertTimezone()
("Converting Time Zones in Date Functions"), which reads it in the user's time zone.
toLabel() reads a picklist's label instead of its value. FISCAL_YEAR() is refused: its number
depends on whether the org names fiscal years by their starting or ending month, which the
emulator does not model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any, cast

from sfschema.emulator.soql_eval.objects import Context, FieldPath, ObjectView
from sfschema.emulator.soql_eval.values import wire
from sfschema.soql.ast import Call, Field

Record = dict[str, Any]


@dataclass(frozen=True)
class Term:
    """A value read from a record: ``read`` gives what SOQL compares, ``wire`` what it sends."""

    key: tuple[str, ...]
    kind: str
    read: Callable[[Record], Any]
    wire: Callable[[Record], Any]


def _month_in_fiscal_year(day: date, start: int) -> int:
    return (day.month - start) % 12 + 1


_DATE_PARTS: dict[str, Callable[[date, int], int]] = {
    "CALENDAR_MONTH": lambda d, _: d.month,
    "CALENDAR_QUARTER": lambda d, _: (d.month - 1) // 3 + 1,
    "CALENDAR_YEAR": lambda d, _: d.year,
    "DAY_IN_MONTH": lambda d, _: d.day,
    "DAY_IN_WEEK": lambda d, _: d.isoweekday() % 7 + 1,
    "DAY_IN_YEAR": lambda d, _: d.timetuple().tm_yday,
    "FISCAL_MONTH": _month_in_fiscal_year,
    "FISCAL_QUARTER": lambda d, start: (_month_in_fiscal_year(d, start) - 1) // 3 + 1,
    "WEEK_IN_MONTH": lambda d, _: (d.day - 1) // 7 + 1,
    "WEEK_IN_YEAR": lambda d, _: (d.timetuple().tm_yday - 1) // 7 + 1,
}


def path_key(path: FieldPath) -> tuple[str, ...]:
    return (*(hop.name.lower() for hop in path.hops), str(path.leaf["name"]).lower())


def term(ctx: Context, obj: ObjectView, alias: str | None, expr: Any, where: str) -> Term:
    """The term of a field or date function; MALFORMED_QUERY naming anything else."""
    if isinstance(expr, Field):
        path = ctx.resolve(obj, expr.path, alias, expr.pos)
        return Term(
            ("field", *path_key(path)),
            path.kind,
            lambda row: ctx.value(row, path),
            lambda row: wire(path.field_type, ctx.raw_value(row, path)),
        )
    if isinstance(expr, Call) and expr.name == "toLabel" and isinstance(expr.args[0], Field):
        return _to_label(ctx, obj, alias, expr.args[0])
    if not isinstance(expr, Call) or expr.name not in (*_DATE_PARTS, "DAY_ONLY", "HOUR_IN_DAY"):
        name = expr.name if isinstance(expr, Call) else type(expr).__name__
        raise ctx.unsupported(getattr(expr, "pos", None), f"{name}() in {where}")
    inner, zone = expr.args[0], cast(tzinfo, UTC)
    if isinstance(inner, Call) and inner.name == "convertTimezone":
        inner, zone = inner.args[0], ctx.tz
    if not isinstance(inner, Field):
        raise ctx.unsupported(expr.pos, f"{expr.name}() of {getattr(inner, 'name', '?')}()")
    path = ctx.resolve(obj, inner.path, alias, inner.pos)
    part = _reader(ctx, expr.name, zone)

    def read(row: Record) -> Any:
        return part(ctx.value(row, path))

    key = ("call", expr.name, str(zone), *path_key(path))
    if expr.name == "DAY_ONLY":
        return Term(key, "date", read, lambda row: _iso(read(row)))
    return Term(key, "number", read, lambda row: _whole(read(row)))


def _to_label(ctx: Context, obj: ObjectView, alias: str | None, field: Field) -> Term:
    """toLabel(): a picklist value as its label (each value of a multi-select, joined by ;)."""
    path = ctx.resolve(obj, field.path, alias, field.pos)
    if path.hops:
        raise ctx.unsupported(field.pos, "toLabel() of a parent's field")
    labels = {
        str(entry.get("value")).lower(): str(entry.get("label") or entry.get("value"))
        for entry in path.leaf.get("picklistValues") or []
    }

    def label(row: Record) -> Any:
        raw = ctx.raw_value(row, path)
        if raw is None:
            return None
        parts = str(raw).split(";") if path.field_type == "multipicklist" else [str(raw)]
        return ";".join(labels.get(part.lower(), part) for part in parts)

    return Term(("call", "toLabel", *path_key(path)), "text", label, label)


def _reader(ctx: Context, name: str, zone: tzinfo) -> Callable[[Any], Any]:
    start = ctx.fiscal_start

    def local(value: Any) -> Any:
        return value.astimezone(zone) if isinstance(value, datetime) else value

    if name == "DAY_ONLY":
        return lambda v: local(v).date() if isinstance(v, datetime) else None
    if name == "HOUR_IN_DAY":
        return lambda v: Decimal(local(v).hour) if isinstance(v, datetime) else None
    extract = _DATE_PARTS[name]

    def part(value: Any) -> Any:
        value = local(value)
        if isinstance(value, datetime):
            value = value.date()
        return Decimal(extract(value, start)) if isinstance(value, date) else None

    return part


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else None


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, Decimal) else None
