"""The SOQL functions sfschema knows: one table of canonical names and arities.

Names are case-insensitive in SOQL; the AST stores the spelling used by the SOQL reference
(``COUNT``, ``toLabel``, ``convertCurrency`` …) so that ``count(Id)`` and ``COUNT(Id)`` are the
same tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from sfschema.errors import SoqlError


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    name: str
    kind: str  # aggregate | date | convert | format | grouping | location | formula
    min_args: int
    max_args: int | None  # None: any number


_SPECS = (
    # Aggregates. COUNT() counts rows; COUNT(Id, Name) occurs in public parser suites' HAVING.
    FunctionSpec("COUNT", "aggregate", 0, None),
    FunctionSpec("COUNT_DISTINCT", "aggregate", 1, 1),
    FunctionSpec("AVG", "aggregate", 1, 1),
    FunctionSpec("SUM", "aggregate", 1, 1),
    FunctionSpec("MIN", "aggregate", 1, 1),
    FunctionSpec("MAX", "aggregate", 1, 1),
    FunctionSpec("GROUPING", "grouping", 1, None),
    # Date functions (GROUP BY / WHERE / SELECT in aggregate queries).
    *(
        FunctionSpec(name, "date", 1, 1)
        for name in (
            "CALENDAR_MONTH",
            "CALENDAR_QUARTER",
            "CALENDAR_YEAR",
            "DAY_IN_MONTH",
            "DAY_IN_WEEK",
            "DAY_IN_YEAR",
            "DAY_ONLY",
            "FISCAL_MONTH",
            "FISCAL_QUARTER",
            "FISCAL_YEAR",
            "HOUR_IN_DAY",
            "WEEK_IN_MONTH",
            "WEEK_IN_YEAR",
        )
    ),
    FunctionSpec("convertTimezone", "convert", 1, 1),
    FunctionSpec("convertCurrency", "convert", 1, 1),
    FunctionSpec("toLabel", "convert", 1, 1),
    FunctionSpec("FORMAT", "format", 1, 1),
    FunctionSpec("DISTANCE", "location", 3, 3),
    FunctionSpec("GEOLOCATION", "location", 2, 2),
    FunctionSpec("FORMULA", "formula", 1, 1),
)

FUNCTIONS: dict[str, FunctionSpec] = {spec.name.upper(): spec for spec in _SPECS}
AGGREGATES = frozenset(s.name for s in _SPECS if s.kind == "aggregate")
DATE_FUNCTIONS = frozenset(s.name for s in _SPECS if s.kind == "date")
DISTANCE_UNITS = ("mi", "km")


def function_spec(name: str) -> FunctionSpec:
    """The table entry for a function name (any case); SoqlError naming close matches."""
    if not issubclass(type(name), str):
        raise SoqlError(f"a function name is a string, not {type(name).__name__}")
    name = str.__str__(name)
    found = FUNCTIONS.get(name.upper())
    if found is None:
        from sfschema.suggest import did_you_mean  # difflib: only for the error

        raise SoqlError(
            f"unknown SOQL function {name}()"
            + did_you_mean(name, [spec.name for spec in _SPECS] + ["FIELDS"])
        )
    return found
