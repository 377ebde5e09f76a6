"""Shared run-time types for generated models and models built at run time.

Each field of a generated model is ``Annotated[<python type>, <marker>]``. A marker carries the
field's API name and label and builds a pydantic-core schema that does the checks in Rust where it
can (type, length, range, literal values, the datetime's UTC range) and in a small Python function
only where it must (id checksum and key prefix, multi-select picklists, base64).

Every failure is a ``PydanticCustomError`` whose type is the Salesforce error code the value would
cause, with a context naming the field (``field``, ``label``) and the limit broken::

    MALFORMED_ID                     not 15/18 letters and digits, or a bad checksum
    FIELD_INTEGRITY_EXCEPTION        an id whose key prefix is not one of the referenced objects'
    INVALID_TYPE_ON_FIELD_IN_RECORD  wrong JSON type, naive datetime, "yes" for a boolean, bad date,
                                     a datetime whose UTC form is outside the years 1-9999
    NUMBER_OUTSIDE_VALID_RANGE       too many digits left of the point
    STRING_TOO_LONG                  more characters than the field's length
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST   a value that is not an active value
    REQUIRED_FIELD_MISSING           an explicit None for a field that cannot be null

An error's ``input`` is the value at the step that failed: for a range error that is the value
already converted (``Decimal('1E+17')`` for ``1e17``), for a key prefix error the id's 18
characters, so messages should quote the caller's value.

Nullability lives outside the marker: a nillable field is ``<alias> | None``, so None never reaches
the marker's schema; a field that cannot be null gets None → REQUIRED_FIELD_MISSING.

Input rules: dates from ``YYYY-MM-DD`` strings or ``date`` objects; datetimes timezone-aware only
(naive = error, never a guess); booleans from True/False only; numbers from int, float, Decimal or a
plain numeric string (never bool); ids of 15 or 18 characters, normalised to 18; multi-select
picklists from a list or ``"A;B"``. ``model_dump(mode="json")`` gives the payload to send: dates
``YYYY-MM-DD``, datetimes ``YYYY-MM-DDTHH:MM:SS.sssZ`` (UTC), times ``HH:MM:SS.sssZ``, Decimal as a
JSON number (int when integral, else float: see ``numeric.precision_loss`` for the digits a float
cannot carry), multi-select picklists ``;``-joined.

The codes and their wording come from ``sfschema.salesforce_errors``. Modules: ``core`` (Marker
base, type check), ``text``, ``numeric``, ``temporal``, ``record_ids`` (the markers by kind of
value), ``records`` (model base classes).

>>> from decimal import Decimal
>>> from typing import Annotated
>>> from pydantic import TypeAdapter, ValidationError
>>> amount = TypeAdapter(Annotated[Decimal, Number("Amount", "Amount", precision=5, scale=2)])
>>> amount.dump_python(amount.validate_python("123.45"), mode="json")
123.45
>>> try:
...     amount.validate_python(1234)
... except ValidationError as exc:
...     print(exc.errors()[0]["type"], "-", exc.errors()[0]["msg"])
NUMBER_OUTSIDE_VALID_RANGE - Amount: value outside of valid range on numeric field (max 3 digits)
"""

from __future__ import annotations

from pydantic import Field

from sfschema.runtime.numeric import Checkbox, Integer, Number, json_number, precision_loss
from sfschema.runtime.record_ids import SalesforceId, id18
from sfschema.runtime.records import (
    Address,
    Location,
    ParentRecord,
    Record,
    RecordCreate,
    RecordUpdate,
    RecordWrite,
    omittable,
)
from sfschema.runtime.temporal import DateOnly, DateTime, TimeOfDay, time_text, utc_text
from sfschema.runtime.text import Base64, MultiPicklist, Picklist, Text
from sfschema.salesforce_errors import (
    FIELD_INTEGRITY_EXCEPTION,
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
    INVALID_TYPE_ON_FIELD_IN_RECORD,
    MALFORMED_ID,
    NUMBER_OUTSIDE_VALID_RANGE,
    REQUIRED_FIELD_MISSING,
    STRING_TOO_LONG,
)

#: The Salesforce error codes the run-time types raise (as ``PydanticCustomError`` types); the
#: codes and their wording are ``sfschema.salesforce_errors``'.
ERROR_CODES: frozenset[str] = frozenset(
    {
        MALFORMED_ID,
        FIELD_INTEGRITY_EXCEPTION,
        INVALID_TYPE_ON_FIELD_IN_RECORD,
        NUMBER_OUTSIDE_VALID_RANGE,
        STRING_TOO_LONG,
        INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
        REQUIRED_FIELD_MISSING,
    }
)

__all__ = [
    "ERROR_CODES",
    "Address",
    "Base64",
    "Checkbox",
    "DateOnly",
    "DateTime",
    "Field",
    "Integer",
    "Location",
    "MultiPicklist",
    "Number",
    "ParentRecord",
    "Picklist",
    "Record",
    "RecordCreate",
    "RecordUpdate",
    "RecordWrite",
    "SalesforceId",
    "Text",
    "TimeOfDay",
    "id18",
    "json_number",
    "omittable",
    "precision_loss",
    "time_text",
    "utc_text",
]
