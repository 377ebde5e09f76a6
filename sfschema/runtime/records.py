"""The base classes of generated models, compound values, and ``omittable``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# Parent records in a query result, e.g. {"attributes": {...}, "Name": "Acme"}.
ParentRecord = dict[str, Any]


class Address(BaseModel):
    """A compound address as queried (read-only: write its component fields instead)."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)

    street: str | None = None
    city: str | None = None
    state: str | None = None
    stateCode: str | None = None
    postalCode: str | None = None
    country: str | None = None
    countryCode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geocodeAccuracy: str | None = None


class Location(BaseModel):
    """A compound geolocation as queried (read-only: write ``…__Latitude__s`` and so on)."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)

    latitude: float | None = None
    longitude: float | None = None


def omittable(alias: str | None = None) -> Any:
    """The default of a field that may be left out but must not be None (it stays unset).

    Typed ``Any`` so that ``Name: str = omittable()`` type-checks: callers may omit ``Name`` but
    may not pass None.
    """
    return Field(default=None, alias=alias)


class Record(BaseModel):
    """A record as queried: every field optional; other keys (``attributes``, children) kept."""

    model_config = ConfigDict(
        extra="allow", protected_namespaces=(), populate_by_name=True, defer_build=True
    )


class RecordWrite(BaseModel):
    """Field values for a create or an update: unknown fields are an error."""

    model_config = ConfigDict(
        extra="forbid", protected_namespaces=(), populate_by_name=True, defer_build=True
    )


class RecordCreate(RecordWrite):
    """Field values for a create: createable fields; required ones have no default."""


class RecordUpdate(RecordWrite):
    """Field values for an update: updateable fields, all optional."""
