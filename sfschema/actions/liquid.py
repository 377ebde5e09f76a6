"""Liquid templates for action parameters: python-liquid 2, strict, with native values.

Every string parameter of an action is a Liquid template over the workflow's JSON context
(``json``, ``steps``). Rendering is strict: a missing path is an error naming the path, the
parameter and the item index; ``| default: x`` still works. A template that is one output
expression (``{{ json.item.amount }}``) yields its native value — a list stays a list, a number a
number — so ``for_each`` and numeric fields get real values.

Dates: the standard ``date`` filter behaves as Liquid users expect (it passes "tomorrow" through
unchanged); ``sf_date`` and ``sf_datetime`` convert to Salesforce's formats in UTC (or a given time
zone) and fail on input they cannot read.

>>> env = ActionEnvironment(time_zone="Europe/Berlin")
>>> env.compile("{{ json.amount }}", "params.field_values.Amount").render({"json": {"amount": 5}})
5
>>> env.compile("Call {{ json.who }}", "params.subject").render({"json": {"who": "Ann"}})
'Call Ann'
>>> env.compile('{{ json.due | sf_date }}', "p").render({"json": {"due": "2025-01-31T23:30:00Z"}})
'2025-02-01'
>>> env.compile('{{ json.due | sf_datetime }}', "p").render({"json": {"due": "2025-01-31 09:30"}})
'2025-01-31T08:30:00.000Z'
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from liquid import (
    BoundTemplate,
    Environment,
    RenderContext,
    StrictDefaultUndefined,
    is_undefined,
)
from liquid.exceptions import LiquidError

from sfschema.errors import SfschemaError

#: ``{{ expr }}`` and nothing else (whitespace around allowed): rendered to a native value.
_ONE_OUTPUT = re.compile(r"\s*\{\{-?(?P<expr>.*?)-?\}\}\s*", re.DOTALL)
_NATIVE_NAME = "__sfschema_value__"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?"
)


class TemplateError(SfschemaError):
    """A template cannot be parsed or rendered; names the parameter, the item and the position."""


class _Environment(Environment):
    # Bounded time and memory whatever the template or the context (python-liquid's limits).
    context_depth_limit: ClassVar[int] = 30
    loop_iteration_limit: ClassVar[int | None] = 100_000
    local_namespace_limit: ClassVar[int | None] = 1_000_000
    output_stream_limit: ClassVar[int | None] = 1_000_000


class ActionEnvironment:
    """The Liquid environment of one run: strict undefined, ``sf_date``/``sf_datetime`` filters.

    ``time_zone`` (IANA name) is where naive date-times are read and dates are taken; default UTC.
    """

    def __init__(self, time_zone: str = "UTC") -> None:
        self.zone = zone_named(time_zone)
        self.env = _Environment(undefined=StrictDefaultUndefined)
        self.env.add_filter("sf_date", self._sf_date)
        self.env.add_filter("sf_datetime", self._sf_datetime)

    def compile(self, source: str, where: str) -> ParamTemplate:
        """Parse one parameter's template; a syntax error names ``where``, line and column."""
        match = _ONE_OUTPUT.fullmatch(source)
        native = match is not None and "{{" not in match["expr"] and "}}" not in match["expr"]
        text, shift = source, 0
        if native and match is not None:
            expr = match["expr"]
            prefix = "{% assign " + _NATIVE_NAME + " = "
            text = prefix + expr.strip() + " %}"
            # where the expression stands in the source, for error positions
            shift = match.start("expr") + (len(expr) - len(expr.lstrip())) - len(prefix)
        try:
            template = self.env.from_string(text)
        except LiquidError as exc:
            if native:  # not an expression assign accepts: treat it as text
                return self._text(source, where)
            raise _template_error(exc, where, None, source) from None
        return ParamTemplate(source, where, template, native, shift)

    def _text(self, source: str, where: str) -> ParamTemplate:
        try:
            return ParamTemplate(source, where, self.env.from_string(source), False)
        except LiquidError as exc:
            raise _template_error(exc, where, None, source) from None

    def _sf_date(self, value: object, zone: object = None) -> str:
        moment = _read_moment(value, self._zone(zone), "sf_date")
        if not isinstance(moment, datetime):
            return moment.isoformat()
        try:
            return moment.astimezone(self._zone(zone)).date().isoformat()
        except (OverflowError, ValueError) as exc:
            raise SfschemaError(f"sf_date: {value!r} has no date in the time zone") from exc

    def _sf_datetime(self, value: object, zone: object = None) -> str:
        tz = self._zone(zone)
        moment = _read_moment(value, tz, "sf_datetime")
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, time.min, tzinfo=tz)
        try:
            utc = moment.astimezone(UTC)
        except (OverflowError, ValueError) as exc:
            raise SfschemaError(
                f"sf_datetime: {value!r} has no UTC form (years 1 to 9999)"
            ) from exc
        return f"{utc.date().isoformat()}T{utc:%H:%M:%S}.{utc.microsecond // 1000:03d}Z"

    def _zone(self, zone: object) -> ZoneInfo:
        return self.zone if zone is None else zone_named(str(zone))


@dataclass(frozen=True)
class ParamTemplate:
    """One compiled parameter: its source, where it stands, and whether it renders natively."""

    source: str
    where: str
    template: BoundTemplate
    native: bool
    shift: int = 0

    def paths(self) -> list[str]:
        """The context paths the template reads (``json.item.dueDate``), sorted."""
        return sorted(self.template.global_variable_paths())

    def render(self, data: Mapping[str, Any], index: int | None = None) -> Any:
        """The native value (one output expression) or the rendered text."""
        try:
            if not self.native:
                return self.template.render(**data)
            context = RenderContext(self.template, globals=dict(data))
            self.template.render_with_context(context, io.StringIO())
            value = context.locals.get(_NATIVE_NAME)
            if is_undefined(value):
                str(value)  # a strict undefined raises its UndefinedError, naming the path
        except LiquidError as exc:
            raise _template_error(exc, self.where, index, self.source, self.shift) from None
        except SfschemaError as exc:  # raised by our own filters
            raise TemplateError(f"{self.where}{_item(index)}: {exc}") from None
        return value


def zone_named(name: str) -> ZoneInfo:
    """The IANA time zone ``name``, or a clear error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SfschemaError(
            f"unknown time zone {name!r}: use an IANA name such as 'UTC' or 'Europe/Berlin'"
        ) from exc


def _read_moment(value: object, zone: ZoneInfo, name: str) -> date | datetime:
    """A date or aware datetime from a value ``sf_date``/``sf_datetime`` accept, else an error."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else None
    try:
        if text is not None and _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        if text is not None and _ISO_DATETIME.fullmatch(text):
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
    except ValueError:
        pass
    shown = repr(value)[:80]
    raise SfschemaError(
        f"{name} cannot read {shown} as a date: give an ISO date (2025-01-31) or date-time "
        "(2025-01-31T09:30:00Z, or with an offset)"
    )


def _item(index: int | None) -> str:
    return "" if index is None else f" (item {index})"


def _template_error(
    exc: LiquidError, where: str, index: int | None, source: str, shift: int = 0
) -> TemplateError:
    """One line: where, the item, Liquid's message and the line/column in the source."""
    position = ""
    token = exc.token
    if token is not None and token.start_index >= 0:
        at = min(max(token.start_index + shift, 0), len(source))
        line = source.count("\n", 0, at) + 1
        column = at - (source.rfind("\n", 0, at) + 1) + 1
        position = f" at line {line}, column {column}"
    return TemplateError(f"{where}{_item(index)}: {exc.message}{position}")
