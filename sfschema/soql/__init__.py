"""SOQL: one tree, a builder, a parser, a compiler, a schema checker and one ``literal()``.

Names load on first use, and nothing here imports pydantic or the describe models (the
checker reads them through the schema it is given), so ``from sfschema.soql import parse``
loads the parser and the tree alone and stays quick to start.

>>> from sfschema.soql import date_literal, field, parse, render, select, soql
>>> str(select("Id").from_("Contact").where(field("LastName") == "O'Brien"))
"SELECT Id FROM Contact WHERE LastName = 'O\\\\'Brien'"
>>> render(parse("select id from contact where lastname = 'x'"))
"SELECT id FROM contact WHERE lastname = 'x'"
>>> soql("SELECT Id FROM Task WHERE ActivityDate = :d", d=date_literal("TODAY"))
'SELECT Id FROM Task WHERE ActivityDate = TODAY'
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sfschema.soql.ast import Query
    from sfschema.soql.builder import (
        ExprRef,
        Select,
        and_,
        avg,
        count,
        count_distinct,
        date_literal,
        field,
        fields,
        func,
        max_,
        min_,
        not_,
        or_,
        select,
        sum_,
        typeof,
    )
    from sfschema.soql.check import Diagnostic, check, check_or_raise
    from sfschema.soql.compiler import render
    from sfschema.soql.dates import DATE_LITERALS, date_range, datetime_range
    from sfschema.soql.literals import LikePattern, like_escape, literal, literal_list
    from sfschema.soql.params import ParamText, bind, placeholders, soql
    from sfschema.soql.parser import parse

_BUILDER = (
    *("ExprRef", "Select", "and_", "avg", "count", "count_distinct", "date_literal", "field"),
    *("fields", "func", "max_", "min_", "not_", "or_", "select", "sum_", "typeof"),
)
_EXPORTS: dict[str, str] = {
    "Diagnostic": "sfschema.soql.check",
    "check": "sfschema.soql.check",
    "check_or_raise": "sfschema.soql.check",
    "DATE_LITERALS": "sfschema.soql.dates",
    "LikePattern": "sfschema.soql.literals",
    "ParamText": "sfschema.soql.params",
    "Query": "sfschema.soql.ast",
    "bind": "sfschema.soql.params",
    "date_range": "sfschema.soql.dates",
    "datetime_range": "sfschema.soql.dates",
    "like_escape": "sfschema.soql.literals",
    "literal": "sfschema.soql.literals",
    "literal_list": "sfschema.soql.literals",
    "parse": "sfschema.soql.parser",
    "placeholders": "sfschema.soql.params",
    "render": "sfschema.soql.compiler",
    "soql": "sfschema.soql.params",
    **{name: "sfschema.soql.builder" for name in _BUILDER},
}

__all__ = [
    "DATE_LITERALS",
    "Diagnostic",
    "ExprRef",
    "LikePattern",
    "ParamText",
    "Query",
    "Select",
    "and_",
    "avg",
    "bind",
    "check",
    "check_or_raise",
    "count",
    "count_distinct",
    "date_literal",
    "date_range",
    "datetime_range",
    "field",
    "fields",
    "func",
    "like_escape",
    "literal",
    "literal_list",
    "max_",
    "min_",
    "not_",
    "or_",
    "parse",
    "placeholders",
    "render",
    "select",
    "soql",
    "sum_",
    "typeof",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


class _Package(types.ModuleType):
    """``check`` names both a submodule and the function the package exports. Importing the
    submodule (as ``soql()`` does) sets the package's attribute ``check`` to the module; the
    package keeps the function instead (the module stays in ``sys.modules``)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "check" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
