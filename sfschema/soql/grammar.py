"""The SOQL grammar for lark's LALR(1) parser with a contextual lexer.

Keywords are word-bounded, case-insensitive regexes with a priority above NAME, and the
contextual lexer only offers the terminals the parser can accept next, so ``Group`` and
``Order`` still work as object names and ``Type`` or ``Format`` as field names.

AND and OR chains are separate rules: mixing them without parentheses does not parse, as in
Salesforce.
"""

from __future__ import annotations

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


GRAMMAR = (
    r"""
start: query

query: select_clause _FROM from_source clause*

?clause: using | where | with_security | with_category | group | having | order
       | limit | offset | for_clause | update_clause

select_clause: SELECT select_item ("," select_item)*
?select_item: expr [alias]                -> select_expr
           | typeof
           | "(" query ")"                -> select_subquery
alias: NAME

?expr: path | call
path: NAME ("." NAME)*
call: NAME "(" [call_arg ("," call_arg)*] ")"
?call_arg: expr | string | number

typeof: TYPEOF NAME typeof_when+ [_ELSE path_list] _END
typeof_when: _WHEN NAME _THEN path_list
path_list: path ("," path)*

from_source: path [alias]
using: _USING _SCOPE NAME
where: _WHERE condition
with_security: _WITH SECURITY_MODE
with_category: _WITH _DATA _CATEGORY category_filter (_AND category_filter)*
category_filter: NAME CATEGORY_SELECTOR (NAME | "(" NAME ("," NAME)* ")")
group: _GROUP _BY expr ("," expr)*
     | _GROUP _BY GROUP_KIND "(" expr ("," expr)* ")"
having: _HAVING condition
order: _ORDER _BY order_item ("," order_item)*
order_item: expr [DIRECTION] [_NULLS NULLS_POS]
limit: _LIMIT INT
offset: _OFFSET INT
for_clause: _FOR FOR_OPTION
update_clause: _UPDATE UPDATE_OPTION

?condition: and_chain | or_chain | unary
and_chain: unary (_AND unary)+
or_chain: unary (_OR unary)+
?unary: _NOT atom                         -> negation
      | atom
?atom: comparison
     | "(" condition ")"
comparison: expr CMP value                -> compare
          | expr LIKE value               -> compare
          | expr set_op "(" value ("," value)* ")"   -> compare_list
          | expr set_op "(" query ")"     -> compare_subquery
          | expr set_op PARAM             -> compare_param
set_op: SET_OP
      | _NOT SET_OP                       -> not_set_op

?value: string
      | number
      | DATETIME                          -> datetime_value
      | DATE                              -> date_value
      | DATE_LITERAL                      -> date_literal
      | CURRENCY                          -> currency
      | _NULL                             -> null
      | _TRUE                             -> true
      | _FALSE                            -> false
      | PARAM                             -> param
string: STRING
number: NUMBER

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
