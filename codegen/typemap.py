"""The one map from describe field types to generated Python types.

Every documented describe ``type`` (the partner WSDL's fieldType enum; SOAP API Developer
Guide: Field Types) is a key; a type missing here fails generation
with an error naming it. A rule gives the Python type, the ``sfschema.runtime`` marker that
checks values, and whether the field can ever be written (compound fields cannot).

>>> TYPE_MAP["currency"].marker
'Number'
>>> rule_for("geolocation", "Account.Spot__c")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
sfschema.errors.CodegenError: Account.Spot__c: describe type 'geolocation' has no Python type; ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sfschema.errors import CodegenError

Kind = Literal[
    "text",
    "picklist",
    "multipicklist",
    "boolean",
    "integer",
    "number",
    "date",
    "datetime",
    "time",
    "id",
    "base64",
    "any",
    "json",
    "compound",
]


@dataclass(frozen=True)
class TypeRule:
    """How one describe type becomes a Python type."""

    kind: Kind
    python: str  # the annotation inside Annotated[...] (or the whole type when marker is None)
    marker: str | None  # the sfschema.runtime marker class
    writable: bool = True


_TEXT = TypeRule("text", "str", "Text")

TYPE_MAP: dict[str, TypeRule] = {
    "string": _TEXT,
    "textarea": _TEXT,
    "phone": _TEXT,
    "email": _TEXT,
    "url": _TEXT,
    "encryptedstring": _TEXT,
    "combobox": _TEXT,
    "datacategorygroupreference": _TEXT,
    "picklist": TypeRule("picklist", "str", "Picklist"),
    "multipicklist": TypeRule("multipicklist", "str | list[str]", "MultiPicklist"),
    "boolean": TypeRule("boolean", "bool", "Checkbox"),
    "int": TypeRule("integer", "int", "Integer"),
    "long": TypeRule("integer", "int", "Integer"),
    "double": TypeRule("number", "decimal.Decimal", "Number"),
    "currency": TypeRule("number", "decimal.Decimal", "Number"),
    "percent": TypeRule("number", "decimal.Decimal", "Number"),
    "date": TypeRule("date", "dt.date", "DateOnly"),
    "datetime": TypeRule("datetime", "dt.datetime", "DateTime"),
    "time": TypeRule("time", "dt.time", "TimeOfDay"),
    "id": TypeRule("id", "str", "SalesforceId"),
    "reference": TypeRule("id", "str", "SalesforceId"),
    "base64": TypeRule("base64", "str | bytes", "Base64"),
    "anyType": TypeRule("any", "t.Any", None),
    "complexvalue": TypeRule("json", "dict[str, t.Any] | list[t.Any]", None),
    "address": TypeRule("compound", "sf.Address", None, writable=False),
    "location": TypeRule("compound", "sf.Location", None, writable=False),
}


def rule_for(describe_type: str, where: str) -> TypeRule:
    """The rule of a describe type; an unknown type is a CodegenError naming it and the field."""
    rule = TYPE_MAP.get(describe_type)
    if rule is None:
        raise CodegenError(
            f"{where}: describe type {describe_type!r} has no Python type; "
            f"known: {', '.join(sorted(TYPE_MAP, key=str.lower))}"
        )
    return rule
