"""Record writes of the emulated org: create, update, delete, upsert and retrieve, as the calling
user may do them (object permissions, field-level security), with the rules of ``dml``.

System fields are set as Salesforce sets them ("System Fields", Object Reference): Id (the
object's key prefix, a valid checksum), CreatedDate / LastModifiedDate / SystemModstamp from the
org's clock, CreatedById / LastModifiedById, OwnerId (the user unless given), IsDeleted false.
Describe defaults (``defaultValue``, the picklist entry marked ``defaultValue``) and auto-numbers
(``EmulatorSettings.auto_number_formats``) fill what a create leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sfschema import ids
from sfschema.emulator.dml import ObjectRules, Target, default_value
from sfschema.emulator.formats import sf_datetime
from sfschema.emulator.http import RecordErrors, not_found
from sfschema.emulator.users import User
from sfschema.errors import EmulatorError
from sfschema.salesforce_errors import (
    ENTITY_IS_DELETED,
    ENTITY_IS_DELETED_MESSAGE,
    ENTITY_NOT_DELETABLE_MESSAGE,
    ENTITY_NOT_INSERTABLE_MESSAGE,
    ENTITY_NOT_UPDATEABLE_MESSAGE,
    INVALID_FIELD,
    MALFORMED_ID,
    UNABLE_TO_LOCK_ROW,
    UNABLE_TO_LOCK_ROW_MESSAGE,
    WireError,
    id_value_of_incorrect_type,
    no_such_column,
)

if TYPE_CHECKING:
    from sfschema.emulator.org import Org

SYSTEM_AUDIT = ("CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById")
_AUTO_NUMBER = re.compile(r"\{(0+)\}")


class Writer:
    """The DML of one org (``org.writer``). Every refusal is an EmulatorError."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self._auto_numbers: dict[str, int] = {}

    # -- helpers -------------------------------------------------------------------------------

    def rules(self, user: User, name: str) -> ObjectRules:
        """The rules of an object as the user sees it (404 NOT_FOUND when it cannot read it)."""
        describe = self.org.describe(user, name).payload
        return ObjectRules(describe, self._target(user, describe))

    def _target(self, user: User, describe: Mapping[str, Any]) -> Target:
        org = self.org

        def exists(object_name: str, record_id: str) -> bool:
            if object_name.lower() not in org.object_name_set:
                return False
            found = org.records.get(org.resolve_name(object_name), record_id)
            return found is not None and not found.get("IsDeleted")

        def record_type_values(rt_id: str) -> Mapping[str, frozenset[str]] | None:
            return org.record_type_subsets(str(describe["name"]), rt_id)

        def describe_of(object_name: str) -> Mapping[str, Any] | None:
            try:
                payload = org.describe(user, object_name).payload
            except EmulatorError:  # not in the org, or not readable by the user
                return None
            return payload if isinstance(payload, dict) else None

        def rows(object_name: str) -> list[dict[str, Any]]:
            return org.records.all(org.resolve_name(object_name))

        return Target(org.key_prefixes(), exists, record_type_values, describe_of, rows)

    def _permission(self, user: User, name: str, flag: str, template: str) -> None:
        describe = self.org.describe(user, name).payload
        if not describe.get(flag, True):
            settings = self.org.settings
            raise EmulatorError(
                settings.object_permission_code,
                template.format(object_name=describe["name"]),
                settings.object_permission_status,
            )

    def _lock(self, key: str) -> None:
        if self.org.faults.lock_row(key):
            raise RecordErrors(
                [WireError(UNABLE_TO_LOCK_ROW, UNABLE_TO_LOCK_ROW_MESSAGE.format(count=1), 400, ())]
            )

    def record_id(self, user: User, name: str, value: Any) -> str:
        """The 18-character id of a record of this object, or MALFORMED_ID."""
        describe = self.org.describe(user, name).payload
        prefix = describe.get("keyPrefix")
        if (
            not isinstance(value, str)
            or not ids.is_valid(value)
            or (prefix and ids.to18(value)[:3] != prefix)
        ):
            label = f"{describe.get('label') or describe['name']} ID"
            raise RecordErrors(
                [
                    WireError(
                        MALFORMED_ID, id_value_of_incorrect_type(label, str(value)), 400, ("Id",)
                    )
                ]
            )
        return ids.to18(value)

    # -- operations ----------------------------------------------------------------------------

    def create(self, user: User, name: str, values: Any) -> str:
        """Insert one record; its new 18-character id."""
        resolved = self.org.resolve(user, name)
        self._permission(user, resolved, "createable", ENTITY_NOT_INSERTABLE_MESSAGE)
        rules = self.rules(user, resolved)
        stored, errors = rules.check(values, "create")
        if errors:
            raise RecordErrors(errors)
        prefix = str(self.org.raw_describe(resolved).get("keyPrefix") or "a00")
        record_id = self.org.records.new_id(resolved, prefix)
        self._lock(record_id)
        record = self._new_record(resolved, record_id, user)
        record.update(stored)
        self.org.records.put(resolved, record)
        return record_id

    def update(self, user: User, name: str, record_id: Any, values: Any) -> str:
        """Update one record; its 18-character id."""
        resolved = self.org.resolve(user, name)
        self._permission(user, resolved, "updateable", ENTITY_NOT_UPDATEABLE_MESSAGE)
        found_id = self.record_id(user, resolved, record_id)
        existing = self._live(resolved, found_id)
        stored, errors = self.rules(user, resolved).check(values, "update", existing)
        if errors:
            raise RecordErrors(errors)
        self._lock(found_id)
        now = sf_datetime(self.org.clock.now())
        existing.update(stored)
        existing.update(LastModifiedDate=now, SystemModstamp=now, LastModifiedById=user.user_id)
        self.org.records.put(resolved, existing)
        return found_id

    def delete(self, user: User, name: str, record_id: Any) -> str:
        """Move one record to the recycle bin (IsDeleted = true); its id."""
        resolved = self.org.resolve(user, name)
        self._permission(user, resolved, "deletable", ENTITY_NOT_DELETABLE_MESSAGE)
        found_id = self.record_id(user, resolved, record_id)
        existing = self._live(resolved, found_id)
        self._lock(found_id)
        now = sf_datetime(self.org.clock.now())
        existing.update(IsDeleted=True, SystemModstamp=now)
        self.org.records.put(resolved, existing)
        return found_id

    def upsert(
        self, user: User, name: str, field: str, value: str, values: Any
    ) -> tuple[str, bool, list[str]]:
        """(id, created, matches): insert or update by an external id field.

        Several matches write nothing and return their ids (the caller answers 300).
        """
        resolved = self.org.resolve(user, name)
        field_name = self.external_id_field(user, resolved, field)
        rules = self.rules(user, resolved)
        described = rules.field(field_name)
        assert described is not None
        matches = self.find(resolved, field_name, value, bool(described.get("caseSensitive")))
        if len(matches) > 1:
            return "", False, matches
        if isinstance(values, dict) and field_name != "Id":
            # the external id comes from the URL; the body may repeat it
            values = {k: v for k, v in values.items() if k.lower() != field_name.lower()}
        if matches:
            return self.update(user, resolved, matches[0], values), False, matches
        if field_name == "Id":
            raise not_found()
        if not isinstance(values, dict):
            values = {}
        return self.create(user, resolved, {**values, field_name: value}), True, []

    def external_id_field(self, user: User, name: str, field: str) -> str:
        """The API name of an external id (or idLookup) field; 404 NOT_FOUND otherwise."""
        described = self.rules(user, name).field(field)
        if described is None or not (described.get("externalId") or described.get("idLookup")):
            settings = self.org.settings
            raise EmulatorError(
                settings.external_id_not_found_code,
                settings.external_id_not_found_message.format(field=field),
                404,
            )
        return str(described["name"])

    def find(self, name: str, field: str, value: str, case_sensitive: bool) -> list[str]:
        """Ids of live records whose field equals the value (case-insensitive unless marked)."""
        if field == "Id":
            return [ids.to18(value)] if ids.is_valid(value) and self._exists(name, value) else []

        def same(stored: Any) -> bool:
            if not isinstance(stored, str):
                return stored is not None and str(stored) == value
            return stored == value if case_sensitive else stored.lower() == value.lower()

        return [str(row["Id"]) for row in self.org.records.all(name) if same(row.get(field))]

    def retrieve(
        self, user: User, name: str, record_id: Any, fields: list[str] | None, version: int
    ) -> dict[str, Any]:
        """One record with ``attributes`` and the visible fields asked for (describe order)."""
        resolved = self.org.resolve(user, name)
        found_id = self.record_id(user, resolved, record_id)
        row = self.org.records.get(resolved, found_id)
        if row is None or row.get("IsDeleted"):
            raise not_found()
        return self.shape(user, resolved, row, fields, version)

    def shape(
        self,
        user: User,
        name: str,
        row: Mapping[str, Any],
        fields: list[str] | None,
        version: int,
    ) -> dict[str, Any]:
        """A record as REST answers it: attributes, then fields (INVALID_FIELD for unknown)."""
        rules = self.rules(user, name)
        visible = [str(raw["name"]) for raw in rules.fields.values()]
        if fields is not None:
            chosen = []
            for asked in fields:
                described = rules.field(asked)
                if described is None:
                    raise EmulatorError(INVALID_FIELD, no_such_column(asked, name), 400)
                chosen.append(str(described["name"]))
            visible = [field for field in visible if field in chosen]
        url = f"/services/data/v{version}.0/sobjects/{name}/{row['Id']}"
        record: dict[str, Any] = {"attributes": {"type": name, "url": url}}
        for field in visible:
            record[field] = row.get(field)
        return record

    # -- records -------------------------------------------------------------------------------

    def _exists(self, name: str, record_id: str) -> bool:
        row = self.org.records.get(name, record_id)
        return row is not None and not row.get("IsDeleted")

    def _live(self, name: str, record_id: str) -> dict[str, Any]:
        """A record to change: 404 NOT_FOUND when absent, ENTITY_IS_DELETED when deleted."""
        row = self.org.records.get(name, record_id)
        if row is None:
            raise not_found()
        if row.get("IsDeleted"):
            status = self.org.settings.entity_is_deleted_status
            raise RecordErrors(
                [WireError(ENTITY_IS_DELETED, ENTITY_IS_DELETED_MESSAGE, status, ())], status
            )
        return row

    def _new_record(self, name: str, record_id: str, user: User) -> dict[str, Any]:
        """A new row: every field null, then defaults, auto-numbers and system fields."""
        now = sf_datetime(self.org.clock.now())
        record: dict[str, Any] = {}
        for raw in self.org.raw_describe(name).get("fields") or []:
            field = str(raw["name"])
            record[field] = default_value(raw)
            if raw.get("autoNumber"):
                record[field] = self._auto_number(name, field)
        record.update(
            Id=record_id,
            IsDeleted=False,
            CreatedDate=now,
            CreatedById=user.user_id,
            LastModifiedDate=now,
            LastModifiedById=user.user_id,
            SystemModstamp=now,
        )
        if "OwnerId" in record:
            record["OwnerId"] = user.user_id
        return {key: value for key, value in record.items() if key in self._stored_fields(name)}

    def _stored_fields(self, name: str) -> set[str]:
        return {str(raw["name"]) for raw in self.org.raw_describe(name).get("fields") or []}

    def _auto_number(self, name: str, field: str) -> str:
        """The next auto-number: ``displayFormat`` with ``{000}`` the counter, zero-padded."""
        key = f"{name}.{field}"
        display = self.org.settings.auto_number_formats.get(key, "{00000000}")
        match = _AUTO_NUMBER.search(display)
        width = len(match.group(1)) if match else 8
        number = self._auto_numbers.get(key)
        if number is None:
            number = 0
            prefix, suffix = (
                (display[: match.start()], display[match.end() :])
                if match
                else (
                    "",
                    "",
                )
            )
            for row in self.org.records.all(name, include_deleted=True):
                text = row.get(field)
                if isinstance(text, str) and text.startswith(prefix) and text.endswith(suffix):
                    digits = text[len(prefix) : len(text) - len(suffix) if suffix else None]
                    if digits.isdigit():
                        number = max(number, int(digits))
        number += 1
        self._auto_numbers[key] = number
        counter = str(number).zfill(width)
        return _AUTO_NUMBER.sub(counter, display, count=1) if match else counter
