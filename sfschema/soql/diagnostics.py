"""Diagnostics: what the checker reports, and the reporting half of the checker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sfschema.schema import OrgSchema
    from sfschema.soql.ast import Query
    from sfschema.soql.resolve import Problem

# How an unbound placeholder gets its value, as the fix in its diagnostic ({name}: its name).
BIND_HINT = "soql(text, {name}=...)"


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
class Scope:
    object: str | None  # the described object the query's fields live on; None: unchecked
    alias: str | None = None


class Reporter:
    """What the checker's rule functions share: the schema, the text, the diagnostics found so
    far (with line and column worked out from the text) and the counts that span a query.

    ``check_query`` keeps ``queries`` current (the (sub)query being checked, innermost last).
    """

    def __init__(
        self, schema: OrgSchema | None, text: str | None, bind_hint: str = BIND_HINT
    ) -> None:
        self.schema = schema
        self.text = text
        self.bind_hint = bind_hint
        self.diagnostics: list[Diagnostic] = []
        self.queries: list[Query] = []
        self.relationships: set[tuple[Any, ...]] = set()  # child-to-parent, counted once each
        self.subqueries = 0

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
