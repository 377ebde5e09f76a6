"""Python names for Salesforce API names: field attributes, class names, module names.

API names are kept as they are wherever Python allows it. A field gets a different attribute name
(and an alias carrying the API name) only when its name is not an identifier, is a keyword, starts
with an underscore or ``model_`` (pydantic reserves those), shadows a ``BaseModel`` attribute, or
equals a module alias the generated code imports.

>>> field_name("StageName")
('StageName', None)
>>> field_name("class")
('class_', 'class')
>>> module_name("ns__Invoice__c")
'ns__invoice__c'
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable

from pydantic import BaseModel

# Module aliases used by generated code: class bodies must not shadow them.
MODULE_ALIASES = frozenset({"dt", "decimal", "sf", "t"})
_BASEMODEL_NAMES = frozenset(name for name in dir(BaseModel) if not name.startswith("__"))
_NOT_IDENT = re.compile(r"[^0-9A-Za-z_]")


def _usable_attribute(name: str) -> bool:
    return (
        name.isidentifier()
        and name.isascii()
        and not keyword.iskeyword(name)
        and not keyword.issoftkeyword(name)
        and not name.startswith("_")
        and not name.startswith("model_")
        and name not in _BASEMODEL_NAMES
        and name not in MODULE_ALIASES
    )


def _sanitize(name: str, fallback: str) -> str:
    cleaned = _NOT_IDENT.sub("_", name).lstrip("_") or fallback
    if cleaned[0].isdigit():
        cleaned = f"{fallback}_{cleaned}"
    return cleaned


def field_name(api_name: str, taken: Iterable[str] = ()) -> tuple[str, str | None]:
    """The attribute name of a field and its alias (None when the API name is used as is)."""
    used = set(taken)
    if _usable_attribute(api_name) and api_name not in used:
        return api_name, None
    candidate = _sanitize(api_name, "f")
    if candidate.startswith("model_"):
        candidate = f"f_{candidate}"
    while not _usable_attribute(candidate) or candidate in used:
        candidate += "_"
    return candidate, api_name


def class_name(api_name: str, reserved: Iterable[str] = ()) -> str:
    """A class name for an object: its API name when that is a usable identifier."""
    blocked = set(reserved)
    candidate = api_name if api_name.isidentifier() and api_name.isascii() else None
    if candidate is None:
        candidate = _sanitize(api_name, "Object")
    while keyword.iskeyword(candidate) or candidate in blocked or candidate in MODULE_ALIASES:
        candidate += "_"
    return candidate


def module_name(api_name: str, taken: Iterable[str] = ()) -> str:
    """A module name for an object: its lowercased API name, made a valid, unused identifier."""
    used = set(taken)
    candidate = _sanitize(api_name.lower(), "obj")
    while (
        not candidate.isidentifier()
        or keyword.iskeyword(candidate)
        or candidate in used
        or candidate in MODULE_ALIASES
    ):
        candidate += "_"
    return candidate


def type_alias(py_name: str, index: int, room: int) -> str:
    """The module-level alias of a field's type: ``_T_<name>``, or ``_T<index>`` when too long."""
    readable = f"_T_{py_name}"
    return readable if len(readable) <= room else f"_T{index}"
