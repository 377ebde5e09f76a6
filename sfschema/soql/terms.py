"""Names, expressions and values of the SOQL tree (re-exported by ``sfschema.soql.ast``).

Every identifier is checked against the identifier grammar when a node is made, every value
against ``literals.check_value``, every function against ``functions.FUNCTIONS``. The helpers
the other node modules share (``node_pos``, ``set_field``, ``choice``, ``check_expression``,
``VALUE_TYPES``) are public here; ``ast.py`` imports nothing private from this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeAlias

from sfschema.errors import SoqlError
from sfschema.soql import dates
from sfschema.soql.functions import DISTANCE_UNITS, function_spec
from sfschema.soql.literals import check_value, simple_values

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")

# Salesforce's reserved words (SOQL reference, "Reserved Characters"/alias notation), plus the
# words that start a select item or a GROUP BY item in this grammar. "Group" stays usable as an
# object or relationship name, as in Salesforce.
RESERVED = frozenset(
    (
        *("AND", "ASC", "DESC", "EXCLUDES", "FIRST", "FROM", "HAVING", "IN", "INCLUDES"),
        *("LAST", "LIKE", "LIMIT", "NOT", "NULL", "NULLS", "OR", "SELECT", "USING", "WHERE"),
        *("WITH", "TYPEOF", "ROLLUP", "CUBE"),
    )
)
# Aliases follow an expression or the FROM object, where any clause keyword may come next.
ALIAS_RESERVED = (
    RESERVED
    | frozenset(
        ("GROUP", "ORDER", "OFFSET", "FOR", "UPDATE", "TRUE", "FALSE", "BY", "WHEN", "THEN"),
    )
    | frozenset(("ELSE", "END"))
)

OPERATORS = frozenset(("=", "!=", "<", "<=", ">", ">=", "LIKE", "IN", "NOT IN"))
SET_OPERATORS = frozenset(("IN", "NOT IN", "INCLUDES", "EXCLUDES"))
ALL_OPERATORS = OPERATORS | SET_OPERATORS
FIELDS_KINDS = ("ALL", "STANDARD", "CUSTOM")
SECURITY_MODES = ("SECURITY_ENFORCED", "USER_MODE", "SYSTEM_MODE")
CATEGORY_SELECTORS = ("AT", "ABOVE", "BELOW", "ABOVE_OR_BELOW")
FOR_OPTIONS = ("VIEW", "REFERENCE", "UPDATE")
UPDATE_OPTIONS = ("TRACKING", "VIEWSTAT")


def node_pos() -> Any:
    """The ``pos`` field of a node: left out of equality and repr (see ``ast.py``)."""
    return field(default=None, compare=False, repr=False)


_CHECKED: set[str] = set()  # names already found valid (not reserved) — a parse-speed cache


def identifier(name: Any, what: str = "identifier", *, alias: bool = False) -> str:
    """Return ``name`` if it is a safe SOQL identifier; SoqlError naming the problem otherwise."""
    if not alias and name.__class__ is str and name in _CHECKED:
        return name
    if type(name) is not str and issubclass(type(name), str):
        name = str.__str__(name)  # the text itself: a subclass's own upper()/__format__ never run
    if type(name) is not str or not _IDENT.match(name):
        raise SoqlError(
            f"{what} {name!r} is not a valid SOQL name (letters, digits and _, starting with a "
            "letter)"
        )
    if name.upper() in (ALIAS_RESERVED if alias else RESERVED):
        raise SoqlError(f"{what} {name!r} is a reserved word in SOQL")
    if not alias and name.__class__ is str:
        if len(_CHECKED) > 50_000:
            _CHECKED.clear()
        _CHECKED.add(name)
    return name


def choice(value: Any, allowed: tuple[str, ...], what: str) -> str:
    """The entry of ``allowed`` that ``value`` names (any case); SoqlError otherwise."""
    if issubclass(type(value), str):
        upper = str.upper(str.__str__(value))
        for choice in allowed:
            if choice == upper:
                return choice
    shown = str.__str__(value) if issubclass(type(value), str) else type(value).__name__
    raise SoqlError(f"{what} must be one of {', '.join(allowed)}; got {shown!r}")


def set_field(node: Any, name: str, value: Any) -> None:
    """Set a field of a frozen node while it is being made (its canonical form)."""
    object.__setattr__(node, name, value)


# -- expressions -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """A field or a parent path: ``("Account", "Owner", "Name")`` is ``Account.Owner.Name``."""

    path: tuple[str, ...]
    pos: int | None = node_pos()

    def __post_init__(self) -> None:
        path = self.path
        if path.__class__ is not tuple:
            if isinstance(path, str) or not isinstance(path, tuple | list):
                raise SoqlError(f"a field path is a tuple of names, got {path!r}")
            path = tuple(path)
            set_field(self, "path", path)
        if not path:
            raise SoqlError("a field path needs at least one name")
        for part in path:
            if part.__class__ is not str or part not in _CHECKED:
                identifier(part, "field name")
        if any(type(part) is not str for part in path):
            set_field(self, "path", tuple(identifier(part, "field name") for part in path))

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True, slots=True)
class Call:
    """A function: aggregates, date functions, toLabel, FORMAT, convertCurrency, DISTANCE …"""

    name: str
    args: tuple[Expr | Literal, ...] = ()
    pos: int | None = node_pos()

    def __post_init__(self) -> None:
        spec = function_spec(self.name)
        set_field(self, "name", spec.name)
        set_field(self, "args", tuple(self.args))
        count = len(self.args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            want = (
                str(spec.min_args)
                if spec.min_args == spec.max_args
                else f"at least {spec.min_args}"
            )
            raise SoqlError(f"{spec.name}() takes {want} argument(s), got {count}")
        if spec.name == "DISTANCE":
            _check_distance(self.args)
        elif spec.name == "GEOLOCATION":
            for arg in self.args:
                if not (isinstance(arg, Literal) and _is_number(arg.value)):
                    raise SoqlError("GEOLOCATION() takes two numbers: latitude and longitude")
        elif spec.name == "FORMULA":
            if not (isinstance(self.args[0], Literal) and isinstance(self.args[0].value, str)):
                raise SoqlError("FORMULA() takes one string: the formula text")
        else:
            for arg in self.args:
                check_expression(arg, f"{spec.name}() takes")


def _is_number(value: Any) -> bool:
    return issubclass(type(value), int | Decimal) and type(value) is not bool


def _is_geolocation(node: Any) -> bool:
    return isinstance(node, Call) and node.name == "GEOLOCATION"


def check_expression(node: Any, what: str) -> None:
    """SoqlError unless ``node`` is a field or a function (GEOLOCATION only inside DISTANCE)."""
    if _is_geolocation(node):
        raise SoqlError("GEOLOCATION() is only allowed inside DISTANCE()")
    if not isinstance(node, Field | Call):
        raise SoqlError(f"{what} a field or a function of a field, not {type(node).__name__}")


def _check_distance(args: tuple[Any, ...]) -> None:
    location, target, unit = args
    if not isinstance(location, Field):
        raise SoqlError("DISTANCE() takes a location field first")
    if not (isinstance(target, Field) or _is_geolocation(target)):
        raise SoqlError("DISTANCE() takes a location field or GEOLOCATION(lat, lon) second")
    if not (
        isinstance(unit, Literal)
        and isinstance(unit.value, str)
        and unit.value.lower() in DISTANCE_UNITS
    ):
        raise SoqlError("DISTANCE() takes the unit 'mi' or 'km' third")


Expr: TypeAlias = "Field | Call"


# -- values ------------------------------------------------------------------------------------


def _value_kind(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return repr(value)
    if _is_number(value):
        return "number"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    return type(value).__name__


@dataclass(frozen=True, slots=True, eq=False)
class Literal:
    """A constant: str, int, Decimal, bool, None, date, aware datetime (UTC) or LikePattern.

    Equality is by SOQL meaning: ``1`` equals ``Decimal("1.0")`` but not ``True``.
    """

    value: Any
    pos: int | None = node_pos()

    def __post_init__(self) -> None:
        value = self.value
        canonical = check_value(value)
        if canonical is not value:
            set_field(self, "value", canonical)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Literal):
            return NotImplemented
        return _value_kind(self.value) == _value_kind(other.value) and self.value == other.value

    def __hash__(self) -> int:
        return hash((_value_kind(self.value), self.value))


@dataclass(frozen=True, slots=True)
class DateLiteral:
    """A relative date range such as ``TODAY`` or ``LAST_N_DAYS:30`` (see ``dates.py``)."""

    name: str
    n: int | None = None
    pos: int | None = node_pos()

    def __post_init__(self) -> None:
        name, n = dates.check_n(self.name, self.n)
        set_field(self, "name", name)
        set_field(self, "n", n)


@dataclass(frozen=True, slots=True)
class Currency:
    """A currency-prefixed number for multi-currency orgs: ``USD5000``, ``EUR-1.5``."""

    code: str
    amount: int | Decimal
    pos: int | None = node_pos()

    def __post_init__(self) -> None:
        code = str.__str__(self.code) if issubclass(type(self.code), str) else None
        if code is None or not re.fullmatch(r"[A-Za-z]{3}", code):
            raise SoqlError(f"currency code {self.code!r:.20} must be three letters (ISO 4217)")
        set_field(self, "code", code.upper())
        if not _is_number(self.amount):
            raise SoqlError(f"currency amount {self.amount!r:.40} must be an int or Decimal")
        set_field(self, "amount", check_value(self.amount))


@dataclass(frozen=True, slots=True)
class Param:
    """A named placeholder ``:name`` in a text template, replaced by ``bind``."""

    name: str
    pos: int | None = node_pos()

    def __post_init__(self) -> None:
        name = str.__str__(self.name) if issubclass(type(self.name), str) else None
        if name is None or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise SoqlError(f"parameter name {self.name!r:.40} is not a valid name")
        set_field(self, "name", name)


_new_node = object.__new__
_set_value = Literal.__dict__["value"].__set__  # the slots' own setters: no __setattr__ hook
_set_literal_pos = Literal.__dict__["pos"].__set__


def simple_literals(values: Sequence[Any]) -> tuple[Literal, ...] | None:
    """``tuple(Literal(v) for v in values)`` for values ``literals.simple_values`` vouches for
    (plain strings or ints, which ``check_value`` returns unchanged), made without running the
    checks again one by one; None for any other values (use ``Literal`` for those).
    """
    if not simple_values(values):
        return None
    nodes: list[Literal] = []
    append = nodes.append
    for value in values:
        node = _new_node(Literal)
        _set_value(node, value)
        _set_literal_pos(node, None)
        append(node)
    return tuple(nodes)


Value: TypeAlias = "Literal | DateLiteral | Currency | Param"
VALUE_TYPES = (Literal, DateLiteral, Currency, Param)
_VALUE_CLASSES = frozenset(VALUE_TYPES)


@dataclass(frozen=True, slots=True)
class ValueList:
    """The parenthesised list after IN / NOT IN / INCLUDES / EXCLUDES (never empty)."""

    values: tuple[Value, ...]
    pos: int | None = node_pos()

    def __post_init__(self) -> None:
        set_field(self, "values", tuple(self.values))
        if not self.values:
            raise SoqlError("an IN list needs at least one value (Salesforce rejects '()')")
        if not _VALUE_CLASSES.issuperset(map(type, self.values)):  # else subclasses, or wrong
            for value in self.values:
                if not isinstance(value, VALUE_TYPES):
                    raise SoqlError(f"an IN list holds values, not {type(value).__name__}")
