"""The SOQL grammar for lark's LALR(1) parser with a contextual lexer.

Keywords are word-bounded, case-insensitive regexes with a priority above NAME, and the
contextual lexer only offers the terminals the parser can accept next, so ``Group`` and
``Order`` still work as object names and ``Type`` or ``Format`` as field names.

AND and OR chains are separate rules: mixing them without parentheses does not parse, as in
Salesforce.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
from pathlib import Path

from sfschema.soql import dates

# Filtered keywords (named _WORD in the grammar); SELECT, LIKE, TYPEOF and the set operators
# are kept as tokens because the parser needs their position or spelling.
KEYWORDS = (
    *("FROM", "WHERE", "USING", "SCOPE", "WITH", "DATA", "CATEGORY", "GROUP", "BY", "HAVING"),
    *("ORDER", "LIMIT", "OFFSET", "FOR", "UPDATE", "AND", "OR", "NOT", "NULL", "TRUE", "FALSE"),
    *("WHEN", "THEN", "ELSE", "END", "NULLS"),
)


def _keyword_terminals() -> str:
    lines = [f"_{word}.2: /{word.lower()}\\b/i" for word in KEYWORDS]
    lines += [
        r"SECURITY_MODE.2: /(security_enforced|user_mode|system_mode)\b/i",
        r"CATEGORY_SELECTOR.2: /(above_or_below|above|below|at)\b/i",
        r"GROUP_KIND.2: /(rollup|cube)\b/i",
        r"DIRECTION.2: /(asc|desc)\b/i",
        r"NULLS_POS.2: /(first|last)\b/i",
        r"FOR_OPTION.2: /(view|reference|update)\b/i",
        r"UPDATE_OPTION.2: /(tracking|viewstat)\b/i",
        r"SET_OP.2: /(in|includes|excludes)\b/i",
        r"LIKE.2: /like\b/i",
        r"TYPEOF.2: /typeof\b/i",
        r"SELECT.2: /select\b/i",
    ]
    return "\n".join(lines)


# A comparison, written out wherever a condition can be one (after NOT, and as an operand of
# AND/OR), so that no one-child rule sits between a comparison and its place in a condition:
# every reduction LALR makes costs a step of lark's parse loop.
COMPARISONS = r"""
      | (path | call) CMP value           -> compare
      | (path | call) LIKE value          -> compare
      | (path | call) set_op _LPAR value (_COMMA value)* _RPAR   -> compare_list
      | (path | call) set_op _LPAR query _RPAR     -> compare_subquery
      | (path | call) set_op PARAM        -> compare_param
"""

_GRAMMAR = (
    r"""
query: select_clause _FROM from_source (using | where | with_security | with_category | group
                                        | having | order | limit | offset | for_clause
                                        | update_clause)*

select_clause: SELECT select_item (_COMMA select_item)*
?select_item: (path | call) [alias]       -> select_expr
           | typeof
           | _LPAR query _RPAR                -> select_subquery
alias: NAME

path: NAME (_DOT NAME)*
call: NAME _LPAR [call_arg (_COMMA call_arg)*] _RPAR
?call_arg: path | call | STRING -> string | NUMBER -> number

typeof: TYPEOF NAME typeof_when+ [_ELSE path_list] _END
typeof_when: _WHEN NAME _THEN path_list
path_list: path (_COMMA path)*

from_source: NAME (_DOT NAME)* [alias]
using: _USING _SCOPE NAME
where: _WHERE (and_chain | or_chain | unary)
with_security: _WITH SECURITY_MODE
with_category: _WITH _DATA _CATEGORY category_filter (_AND category_filter)*
category_filter: NAME CATEGORY_SELECTOR (NAME | _LPAR NAME (_COMMA NAME)* _RPAR)
group: _GROUP _BY (path | call) (_COMMA (path | call))*
     | _GROUP _BY GROUP_KIND _LPAR (path | call) (_COMMA (path | call))* _RPAR
having: _HAVING (and_chain | or_chain | unary)
order: _ORDER _BY order_item (_COMMA order_item)*
order_item: (path | call) [DIRECTION] [_NULLS NULLS_POS]
limit: _LIMIT INT
offset: _OFFSET INT
for_clause: _FOR FOR_OPTION
update_clause: _UPDATE UPDATE_OPTION

and_chain: unary (_AND unary)+
or_chain: unary (_OR unary)+
"""
    + "?unary: _NOT atom -> negation\n"
    + "      | _LPAR (and_chain | or_chain | unary) _RPAR\n"
    + COMPARISONS
    + "?atom: _LPAR (and_chain | or_chain | unary) _RPAR\n"
    + COMPARISONS
    + r"""
set_op: SET_OP
      | _NOT SET_OP                       -> not_set_op

?value: STRING                            -> string
      | NUMBER                            -> number
      | DATETIME                          -> datetime_value
      | DATE                              -> date_value
      | DATE_LITERAL                      -> date_literal
      | CURRENCY                          -> currency
      | _NULL                             -> null
      | _TRUE                             -> true
      | _FALSE                            -> false
      | PARAM                             -> param

_LPAR: /\(/
_RPAR: /\)/
_COMMA: /,/
_DOT: /\./
NAME: /[A-Za-z][A-Za-z0-9_]*/
STRING: /'(?:[^'\\]|\\.)*'/s
NUMBER.3: /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?![A-Za-z0-9_.])/
INT.3: /\d+(?![A-Za-z0-9_.])/
DATETIME.5: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?(?![\w.:])/i
DATE.4: /\d{4}-\d{2}-\d{2}(?![A-Za-z0-9_.:])/
CURRENCY.4: /[A-Za-z]{3}-?(?:\d+(?:\.\d+)?)(?![A-Za-z0-9_.])/
PARAM: /:[A-Za-z_][A-Za-z0-9_]*/
CMP: /!=|<>|<=|>=|=|<|>/
"""
    + f"DATE_LITERAL.4: /{dates.PATTERN}/\n"
    + _keyword_terminals()
    + r"""

%ignore /\s+/
%ignore /\/\/[^\n]*/
%ignore /\/\*[\s\S]*?\*\//
"""
)

_TERMINAL = re.compile(r"^(_?[A-Z][A-Z_]*(?:\.\d+)?): /(.*)/([a-z]*)$", re.M)

# Every terminal takes the whitespace after it: lark's lexer then makes one match per token
# instead of two (the token, then the ignored gap), which is most of its work on SOQL. Token
# text therefore ends with that whitespace (the parser strips it); positions are unchanged. The
# %ignore rules still skip leading whitespace and comments.
GRAMMAR = _TERMINAL.sub(lambda m: f"{m[1]}: /(?:{m[2]})\\s*/{m[3]}", _GRAMMAR)


def cache_file() -> Path | None:
    """Where lark keeps its analysis of GRAMMAR (``Lark(cache=path)``), or None for no cache.

    A file in the user's own cache directory (``$XDG_CACHE_HOME/sfschema/soql-grammar``, made
    0700), named after the grammar, lark's version and Python's, so installs never share one.
    lark checks the grammar's hash stored in the file and rebuilds (and rewrites it) when it
    differs. lark's ``cache=True`` would use a predictable name in the shared temporary
    directory, and the cache is a pickle: a file there could be planted by another user. So a
    directory that is a symlink, is not the user's, or is writable by others is not used.
    """
    from lark import __version__ as lark_version

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = Path(base, "sfschema", "soql-grammar")
    key = f"{GRAMMAR}\0{lark_version}\0{sys.version_info[:2]}".encode()
    path = directory / f"lalr-{hashlib.sha256(key).hexdigest()[:20]}.lark"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(directory, stat.S_ISDIR):
            return None
        if os.path.lexists(path) and not _private(path, stat.S_ISREG):
            return None
    except (OSError, ValueError):
        return None
    return path


def _private(path: Path, kind: object) -> bool:
    """``path`` is (not a symlink to) the given kind, the user's own, and nobody else may write."""
    info = os.lstat(path)
    owner = getattr(os, "getuid", None)
    return (
        bool(kind(info.st_mode))  # type: ignore[operator]
        and (owner is None or info.st_uid == owner())
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )
