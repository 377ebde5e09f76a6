"""Readable messages for lark's parse errors: what was found, what could come instead."""

from __future__ import annotations

import re
from typing import Any

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from sfschema.errors import SoqlSyntaxError

_FRIENDLY = {
    "NAME": "a name",
    "STRING": "a string",
    "NUMBER": "a number",
    "INT": "a whole number",
    "DATETIME": "a datetime",
    "DATE": "a date",
    "DATE_LITERAL": "a date literal",
    "CURRENCY": "a currency amount",
    "PARAM": "a :parameter",
    "CMP": "a comparison operator",
    "SET_OP": "IN",
    "_LPAR": "'('",
    "_RPAR": "')'",
    "_COMMA": "','",
    "_DOT": "'.'",
    "SECURITY_MODE": "SECURITY_ENFORCED/USER_MODE/SYSTEM_MODE",
    "CATEGORY_SELECTOR": "AT/ABOVE/BELOW/ABOVE_OR_BELOW",
    "GROUP_KIND": "ROLLUP/CUBE",
    "DIRECTION": "ASC/DESC",
    "NULLS_POS": "FIRST/LAST",
    "FOR_OPTION": "VIEW/REFERENCE/UPDATE",
    "UPDATE_OPTION": "TRACKING/VIEWSTAT",
    "$END": "the end of the query",
}


def _expected(names: Any) -> str:
    words = sorted({_FRIENDLY.get(n, n.lstrip("_")) for n in names or ()})
    if not words:
        return ""
    if len(words) > 10:
        words = [*words[:10], "…"]
    return "; expected " + ", ".join(words)


def _value_hint(shown: str, expected: Any) -> str:
    """A bare word where a value belongs is the most common mistake: say what a value is."""
    if re.fullmatch(r"[A-Za-z_]\w*", shown) and expected and "DATE_LITERAL" in expected:
        return (
            " (a value must be a quoted string, a number, a date, a date literal, "
            "null, true or false)"
        )
    return ""


def syntax_error(exc: UnexpectedInput, text: str) -> SoqlSyntaxError:
    """The SoqlSyntaxError (with position) for one of lark's UnexpectedInput errors."""
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        char = text[pos]
        if char == '"':
            return SoqlSyntaxError(
                "double-quoted strings are not SOQL; use single quotes", text, pos
            )
        if char == "'":
            return SoqlSyntaxError("unterminated string literal", text, pos)
        word = re.match(r"[\w:.+-]+", text[pos:])
        shown = word.group() if word else char
        hint = _value_hint(shown, exc.allowed)
        return SoqlSyntaxError(f"unexpected {shown!r}{hint}{_expected(exc.allowed)}", text, pos)
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            return SoqlSyntaxError(
                "unexpected end of query" + _expected(exc.expected), text, len(text)
            )
        if token.type in ("_AND", "_OR"):
            other = "_OR" if token.type == "_AND" else "_AND"
            if other in exc.expected:
                return SoqlSyntaxError(
                    "AND and OR cannot be mixed without parentheses; add parentheses to say "
                    "which goes first",
                    text,
                    token.start_pos,
                )
        shown = token.rstrip()  # a token's text ends with the whitespace after it
        hint = _value_hint(shown, exc.expected)
        return SoqlSyntaxError(
            f"unexpected {shown!r}{hint}" + _expected(exc.expected), text, token.start_pos
        )
    if isinstance(exc, UnexpectedEOF):
        return SoqlSyntaxError("unexpected end of query" + _expected(exc.expected), text, len(text))
    return SoqlSyntaxError(str(exc), text, None)
