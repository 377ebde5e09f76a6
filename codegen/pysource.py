"""Python source fragments for generated code, laid out the way ``ruff format`` lays them out.

The planner describes expressions as small immutable nodes; this module turns them into text.
A construct stays on one line when it fits in 100 columns, otherwise it is split one item per
line with a trailing comma (a layout ruff keeps as it is). Literals come from ``repr()``, with the
quote character ruff prefers.

>>> print(layout("X = ", Call("f", (lit("a"), Kw("n", lit(1))))))
X = f("a", n=1)
>>> print(layout("X = ", Sub("t.Literal", tuple(lit("v" * 30) for _ in range(3)))))
X = t.Literal[
    "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv",
    "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv",
    "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv",
]
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any

LINE_LENGTH = 100
INDENT = "    "


@dataclass(frozen=True)
class Code:
    """Verbatim source: a name, a literal already rendered, an operator expression."""

    text: str

    @property
    def one_line(self) -> str:
        return self.text


@dataclass(frozen=True)
class Kw:
    """A keyword argument ``name=value``."""

    name: str
    value: Expr

    @cached_property
    def one_line(self) -> str:
        return f"{self.name}={self.value.one_line}"


@dataclass(frozen=True)
class Call:
    """``func(arg, ..., name=value)``."""

    func: str
    args: tuple[Expr | Kw, ...]

    @cached_property
    def one_line(self) -> str:
        return f"{self.func}({', '.join(arg.one_line for arg in self.args)})"


@dataclass(frozen=True)
class Sub:
    """``base[item, ...]``."""

    base: str
    items: tuple[Expr, ...]

    @cached_property
    def one_line(self) -> str:
        return f"{self.base}[{', '.join(item.one_line for item in self.items)}]"


@dataclass(frozen=True)
class Tup:
    """A tuple display ``(a, b)``, ``(a,)`` or ``()``."""

    items: tuple[Expr, ...]

    @cached_property
    def one_line(self) -> str:
        if len(self.items) == 1:
            return f"({self.items[0].one_line},)"
        return f"({', '.join(item.one_line for item in self.items)})"


@dataclass(frozen=True)
class Dict:
    """A dict display ``{key: value, ...}``."""

    items: tuple[tuple[Expr, Expr], ...]

    @cached_property
    def one_line(self) -> str:
        pairs = (f"{key.one_line}: {value.one_line}" for key, value in self.items)
        return "{" + ", ".join(pairs) + "}"


Expr = Code | Call | Sub | Tup | Dict


def width(text: str) -> int:
    """Display width as ruff measures it: wide East Asian characters count 2, combining 0."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def too_long(line: str) -> bool:
    """True when ruff's E501 would flag the line (a single long word is exempt)."""
    return width(line) > LINE_LENGTH and len(line.split()) > 1


def string_literal(value: str) -> str:
    """``repr()`` of a string with ruff's preferred quotes (double, unless that needs more escapes).

    >>> print(string_literal("it's"), string_literal('say "hi"'), string_literal("plain"))
    "it's" 'say "hi"' "plain"
    """
    if '"' not in value and "\\" not in value and value.isprintable():
        return '"' + value + '"'  # what repr() gives, in double quotes
    text = repr(value)
    if text.startswith('"'):
        return text
    if '"' not in value:
        return '"' + text[1:-1] + '"'
    if "'" not in value or value.count('"') > value.count("'"):
        return text
    body = "".join('\\"' if ch == '"' else "'" if ch == "'" else repr(ch)[1:-1] for ch in value)
    return '"' + body + '"'


def lit(value: Any) -> Expr:
    """The literal of a str, int, bool, None, tuple or dataclass value (``repr()``-based).

    A dataclass becomes a call of its class name with the fields that differ from their defaults.
    """
    kind = type(value)
    if kind is str:
        return Code(string_literal(value))
    if kind is tuple:
        return Tup(tuple(lit(item) for item in value))
    if value is None or kind in (bool, int, float):
        return Code(repr(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        args = tuple(
            Kw(name, lit(current))
            for name, default in _init_fields(kind)
            if (current := getattr(value, name)) != default or default is dataclasses.MISSING
        )
        return Call(kind.__name__, args)
    raise TypeError(f"no literal for {kind.__name__}: {value!r}")


_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _init_fields(kind: type) -> tuple[tuple[str, Any], ...]:
    found = _FIELDS.get(kind)
    if found is None:
        found = tuple((f.name, f.default) for f in dataclasses.fields(kind) if f.init)
        _FIELDS[kind] = found
    return found


def flat(expr: Expr | Kw) -> str:
    """The expression on one line."""
    return expr.one_line


def _split(expr: Expr, indent: int) -> str | None:
    inner = indent + len(INDENT)
    pad = " " * inner
    lines: list[str]
    comma = ","
    if isinstance(expr, Call) and expr.args:
        opening, closing = f"{expr.func}(", ")"
        lines = [pad + _item(arg, inner) + comma for arg in expr.args]
    elif isinstance(expr, Sub) and expr.items:
        opening, closing = f"{expr.base}[", "]"
        if len(expr.items) == 1:  # a trailing comma would make the subscript a tuple
            comma = ""
        lines = [pad + _item(item, inner) + comma for item in expr.items]
    elif isinstance(expr, Tup) and expr.items:
        opening, closing = "(", ")"
        lines = [pad + _item(item, inner) + comma for item in expr.items]
    elif isinstance(expr, Dict) and expr.items:
        opening, closing = "{", "}"
        lines = [
            pad + flat(key) + ": " + _fit(value, inner, inner + width(flat(key)) + 2, 1) + comma
            for key, value in expr.items
        ]
    else:
        return None
    return "\n".join([opening, *lines, " " * indent + closing])


def _item(item: Expr | Kw, indent: int) -> str:
    if isinstance(item, Kw):
        return f"{item.name}=" + _fit(item.value, indent, indent + len(item.name) + 1, 1)
    return _fit(item, indent, indent, 1)


def _fit(expr: Expr, indent: int, head: int, tail: int) -> str:
    """``expr`` starting at column ``head`` with ``tail`` characters after it on its last line."""
    text = flat(expr)
    if head + width(text) + tail <= LINE_LENGTH:
        return text
    return _split(expr, indent) or text


def layout(prefix: str, expr: Expr | None = None, indent: int = 0, suffix: str = "") -> str:
    """One statement: ``prefix`` then ``expr`` (split over lines when too long), indented."""
    start = " " * indent + prefix
    if expr is None:
        return start + suffix
    return start + _fit(expr, indent, width(start), width(suffix)) + suffix


@dataclass(frozen=True)
class ImportFrom:
    """``from module import a, b`` (split into a parenthesised list when too long)."""

    module: str
    names: tuple[str, ...]

    def render(self, indent: int = 0) -> str:
        start = " " * indent + f"from {self.module} import "
        one_line = start + ", ".join(self.names)
        if width(one_line) <= LINE_LENGTH:
            return one_line
        pad = " " * (indent + len(INDENT))
        body = "".join(f"{pad}{name},\n" for name in self.names)
        return f"{start}(\n{body}{' ' * indent})"
