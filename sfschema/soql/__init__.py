"""SOQL: one tree, a builder, a parser, a compiler, a schema checker and one ``literal()``.

>>> from sfschema.soql import field, parse, render, select, soql
>>> str(select("Id").from_("Contact").where(field("LastName") == "O'Brien"))
"SELECT Id FROM Contact WHERE LastName = 'O\\\\'Brien'"
>>> render(parse("select id from contact where lastname = 'x'"))
"SELECT id FROM contact WHERE lastname = 'x'"
>>> soql("SELECT Id FROM Task WHERE ActivityDate = :d", d=date_literal("TODAY"))
'SELECT Id FROM Task WHERE ActivityDate = TODAY'
"""

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
