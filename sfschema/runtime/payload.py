"""The payload of a validated write model, built from the values the model holds.

``model_dump(mode="json", exclude_unset=True, by_alias=True)`` visits every field of the model to
find the few that were set, and calls a serializer for each. For a record validated from a dict
of field values, the fields set are that dict's keys, and most values given are what is sent:
text, picklist values and booleans are validated strictly, never converted (a marker's
``keeps_given``). The others are taken from the model: ids (normalised to 18 characters),
multi-select values (``;``-joined), ints, base64 text, and the values whose marker has a
``json_form`` (dates, datetimes, times, numbers), converted by the marker's ``payload_form``: the
function its JSON serializer uses, or the value given when that already is what is sent (a
date's ``YYYY-MM-DD`` text, a number's int).
``payload_writer`` does just that, in the order of the keys given; a property test checks it
equals ``model_dump`` for the models of every real describe.

>>> from typing import Annotated, Optional
>>> import datetime as dt
>>> from pydantic import create_model
>>> from sfschema.runtime import DateOnly, Text
>>> Call = create_model(
...     "Call",
...     Subject=(Optional[Annotated[str, Text("Subject", "Subject", max_length=80)]], None),
...     ActivityDate=(Optional[Annotated[dt.date, DateOnly("ActivityDate", "Due")]], None),
... )
>>> values = {"ActivityDate": "2024-01-31", "Subject": "Call"}
>>> payload_writer(Call)(Call.model_validate(values), values)
{'ActivityDate': '2024-01-31', 'Subject': 'Call'}
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sfschema.runtime.core import Marker


def field_marker(info: FieldInfo) -> Marker | None:
    """The marker of a model field: in its metadata or in an ``Annotated`` of its annotation
    (``Annotated[date, DateOnly(...)] | None``)."""
    found = [item for item in info.metadata if isinstance(item, Marker)]
    pending = [info.annotation]
    while pending and not found:
        annotation = pending.pop()
        if isinstance(annotation, (str, typing.ForwardRef)):
            raise TypeError(
                f"annotation {annotation!r} is not resolved: call the model's model_rebuild() first"
            )
        if typing.get_origin(annotation) is typing.Annotated and annotation is not None:
            found = [item for item in annotation.__metadata__ if isinstance(item, Marker)]
        pending += typing.get_args(annotation)
    return found[0] if found else None


PayloadWriter = Callable[[BaseModel, Mapping[str, Any]], dict[str, Any]]


def payload_writer(model: type[BaseModel]) -> PayloadWriter:
    """``write(record, given)``: the JSON payload of ``record``, validated by ``model`` from the
    field values ``given`` (keyed by API name), in the order of ``given``."""
    #: API name → the attribute holding its value
    attributes = {
        info.alias if isinstance(info.alias, str) else name: name
        for name, info in model.model_fields.items()
    }
    #: API name → payload_form (None: the validated value is sent), for the fields whose value
    #: sent is not always the value given
    rewrite: dict[str, Callable[[Any, Any], Any] | None] = {}
    for wire, name in attributes.items():
        marker = field_marker(model.model_fields[name])
        form = marker.payload_form() if marker is not None else None
        if form is not None or marker is None or not marker.keeps_given:
            rewrite[wire] = form
    rewritten = frozenset(rewrite)

    def write(record: BaseModel, given: Mapping[str, Any]) -> dict[str, Any]:
        payload = dict(given)
        touched = rewritten.intersection(given)
        if touched:
            values = record.__dict__
            for key in touched:
                value = values[attributes[key]]
                form = rewrite[key]
                payload[key] = value if form is None or value is None else form(value, given[key])
        return payload

    return write
