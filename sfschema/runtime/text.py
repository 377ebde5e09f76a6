"""Text-like markers: Text, restricted Picklist, MultiPicklist, Base64."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema
from pydantic_core import core_schema as cs

from sfschema.runtime.core import Marker, not_empty, typed, with_error
from sfschema.salesforce_errors import (
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
    INVALID_TYPE_ON_FIELD_IN_RECORD,
    REQUIRED_FIELD_MISSING,
    STRING_TOO_LONG,
    bad_restricted_picklist,
    data_value_too_large_max,
    not_of_required_type,
    required_fields_missing,
)


@dataclass(frozen=True)
class Text(Marker):
    """Text (string, textarea, phone, email, url, open picklist, combobox…) up to max_length.

    ``required``: the field cannot be null, so ``""`` (stored as null) is REQUIRED_FIELD_MISSING.
    """

    max_length: int = 0
    required: bool = False

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        ctx = self.context(max_length=self.max_length)
        then = [not_empty(ctx)] if self.required else []
        if self.max_length > 0:
            then.append(
                with_error(
                    cs.str_schema(max_length=self.max_length),
                    STRING_TOO_LONG,
                    data_value_too_large_max(self.label, self.max_length),
                    ctx,
                )
            )
        return typed([cs.str_schema(strict=True)], "text", ctx, then)


@dataclass(frozen=True)
class Picklist(Marker):
    """A restricted picklist: the annotated ``Literal`` lists the active values.

    ``required``: the field cannot be null, so ``""`` (stored as null) is REQUIRED_FIELD_MISSING.
    """

    required: bool = False

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        ctx = self.context()
        check = with_error(
            handler(source),
            INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
            bad_restricted_picklist(self.label),
            ctx,
        )
        then = [not_empty(ctx), check] if self.required else [check]
        return typed([cs.str_schema(strict=True)], "text", ctx, then)


@dataclass(frozen=True)
class MultiPicklist(Marker):
    """A multi-select picklist: a list of values or ``"A;B"``, validated and sent as ``"A;B"``.

    ``values`` is the active list for a restricted field (empty: any value is accepted).
    ``required``: the field cannot be null, so no value at all (``""``, ``[]``, stored as null) is
    REQUIRED_FIELD_MISSING.
    """

    max_length: int = 0
    values: tuple[str, ...] = ()
    required: bool = False

    keeps_given: ClassVar[bool] = False  # a list is sent as "A;B"

    def _join(self, value: str | list[str] | tuple[str, ...]) -> str:
        items = value.split(";") if isinstance(value, str) else list(value)
        if self.required and not any(items):
            raise self.failure(REQUIRED_FIELD_MISSING, required_fields_missing(self.field))
        if not all(isinstance(item, str) for item in items):
            raise self.failure(
                INVALID_TYPE_ON_FIELD_IN_RECORD,
                not_of_required_type(self.label, "a list of text values"),
                expected="a list of text values",
            )
        if self.values:
            allowed = frozenset(self.values)
            bad = [item for item in items if item not in allowed]
            if bad:
                raise self.failure(
                    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
                    bad_restricted_picklist(self.label, ";".join(bad)),
                    bad=";".join(bad),
                )
        joined = ";".join(items)
        if self.max_length and len(joined) > self.max_length:
            raise self.failure(
                STRING_TOO_LONG,
                data_value_too_large_max(self.label, self.max_length),
                max_length=self.max_length,
            )
        return joined

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        accepted = [
            cs.str_schema(strict=True),
            cs.list_schema(strict=True),
            cs.tuple_schema([cs.any_schema()], variadic_item_index=0, strict=True),
        ]
        join = cs.no_info_plain_validator_function(self._join)
        return typed(accepted, "a list of text values or 'A;B'", self.context(), [join])


@dataclass(frozen=True)
class Base64(Marker):
    """Binary content: bytes (encoded when sent) or base64 text (checked)."""

    keeps_given: ClassVar[bool] = False  # bytes are sent as base64 text

    def _encode(self, value: str | bytes) -> str:
        if isinstance(value, bytes):
            return base64.b64encode(value).decode("ascii")
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise self.failure(
                INVALID_TYPE_ON_FIELD_IN_RECORD,
                not_of_required_type(self.label, "base64 text or bytes"),
                expected="base64 text or bytes",
            ) from exc
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        accepted = [cs.str_schema(strict=True), cs.bytes_schema(strict=True)]
        encode = cs.no_info_plain_validator_function(self._encode)
        return typed(accepted, "base64 text or bytes", self.context(), [encode])
