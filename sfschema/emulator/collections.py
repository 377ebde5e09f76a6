"""sObject Collections (``/composite/sobjects``): create, update, delete, retrieve and upsert up to
200 records in one call.

REST API Developer Guide: "sObject Collections", "Create Records Using sObject Collections",
"Update Records …", "Delete Records …", "Get Records …", "Upsert Records …". The answer is 200
with one result per record in request order (errors use ``statusCode``; a failed create has no
``id``); with ``allOrNone`` one failure rolls every record back and the others answer
ALL_OR_NONE_OPERATION_ROLLED_BACK.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sfschema import ids
from sfschema.emulator.http import Call, RecordErrors, Reply, wire_error
from sfschema.emulator.settings import MAX_COLLECTION_RECORDS
from sfschema.errors import EmulatorError
from sfschema.salesforce_errors import (
    ALL_OR_NONE_OPERATION_ROLLED_BACK,
    DUPLICATE_EXTERNAL_ID,
    ENTITY_IS_DELETED,
    ENTITY_IS_DELETED_MESSAGE,
    EXCEEDED_ID_LIMIT,
    ID_MISSING_MESSAGE,
    ID_ON_INSERT_MESSAGE,
    INVALID_CROSS_REFERENCE_KEY,
    INVALID_CROSS_REFERENCE_MESSAGE,
    INVALID_FIELD,
    INVALID_INPUT,
    MALFORMED_ID,
    MALFORMED_ID_IN_URL_MESSAGE,
    MISSING_ARGUMENT,
    NOT_FOUND,
    ROLLED_BACK_MESSAGE,
    TOO_MANY_RECORDS_MESSAGE,
    WireError,
)

if TYPE_CHECKING:
    from sfschema.emulator.users import User
    from sfschema.emulator.wire import WireApp

#: One record's write: (the id it wrote, whether it created) or a RecordErrors/EmulatorError.
Write = Callable[[], tuple[str, bool]]


def _item_errors(exc: EmulatorError) -> list[dict[str, Any]]:
    errors = exc.errors if isinstance(exc, RecordErrors) else [wire_error(exc)]
    return [
        {"statusCode": e.error_code, "message": e.message, "fields": list(e.fields or ())}
        for e in errors
    ]


def _failure(code: str, message: str, *fields: str) -> RecordErrors:
    return RecordErrors([WireError(code, message, 400, fields)])


def _run(
    app: WireApp,
    writes: list[tuple[str | None, Write]],
    all_or_none: bool,
    upsert: bool = False,
) -> Reply:
    """Run each write in order; results in request order (allOrNone rolls back on a failure)."""
    records = app.org.records
    savepoint = records.savepoint()
    results: list[dict[str, Any]] = []
    written: list[str] = []
    failed = False
    for given_id, write in writes:
        try:
            record_id, created = write()
        except EmulatorError as exc:
            failed = True
            result: dict[str, Any] = {"success": False, "errors": _item_errors(exc)}
            if given_id is not None:
                result = {"id": given_id, **result}
            results.append(result)
            continue
        written.append(record_id)
        result = {"id": record_id, "success": True, "errors": []}
        if upsert:
            result["created"] = created
        results.append(result)
    if failed and all_or_none:
        records.rollback(savepoint)
        rolled = [
            {
                "statusCode": ALL_OR_NONE_OPERATION_ROLLED_BACK,
                "message": ROLLED_BACK_MESSAGE,
                "fields": [],
            }
        ]
        results = [
            result
            if not result["success"]
            else {
                **({"id": given_id} if given_id is not None else {}),
                "success": False,
                "errors": rolled,
            }
            for result, (given_id, _) in zip(results, writes, strict=True)
        ]
        written = []
    return Reply(200, results, written=tuple(written))


def _body(call: Call) -> tuple[list[Any], bool]:
    body = call.json_body()
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list):
        raise EmulatorError(INVALID_INPUT, "records: required field is missing or not a list")
    _limit(len(records))
    return records, bool(body.get("allOrNone", False))


def _limit(count: int) -> None:
    if count > MAX_COLLECTION_RECORDS:
        message = TOO_MANY_RECORDS_MESSAGE.format(limit=MAX_COLLECTION_RECORDS)
        raise EmulatorError(EXCEEDED_ID_LIMIT, message, 400)


def _typed(records: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """(object name, field values) of each record; 400 for a record without attributes.type."""
    typed = []
    for index, record in enumerate(records):
        attributes = record.get("attributes") if isinstance(record, dict) else None
        kind = attributes.get("type") if isinstance(attributes, dict) else None
        if not isinstance(kind, str) or not kind:
            raise EmulatorError(
                INVALID_INPUT, f"records[{index}]: each record needs attributes.type", 400
            )
        assert isinstance(record, dict)
        typed.append((kind, {k: v for k, v in record.items() if k != "attributes"}))
    return typed


def create(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """POST /composite/sobjects: create ≤ 200 records (no Id)."""
    records, all_or_none = _body(call)
    writer, user = app.org.writer, call.user

    def one(kind: str, values: dict[str, Any]) -> Write:
        def write() -> tuple[str, bool]:
            if any(key.lower() == "id" for key in values):
                raise _failure(INVALID_FIELD, ID_ON_INSERT_MESSAGE, "Id")
            return writer.create(user, kind, values), True

        return write

    return _run(app, [(None, one(kind, values)) for kind, values in _typed(records)], all_or_none)


def update(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """PATCH /composite/sobjects: update ≤ 200 records (each with Id)."""
    records, all_or_none = _body(call)
    writer, user = app.org.writer, call.user
    writes: list[tuple[str | None, Write]] = []
    for kind, values in _typed(records):
        id_key = next((key for key in values if key.lower() == "id"), None)
        given = values.get(id_key) if id_key is not None else None
        rest = {k: v for k, v in values.items() if k != id_key}

        def write(
            kind: str = kind, given: Any = given, rest: dict[str, Any] = rest
        ) -> tuple[str, bool]:
            if given is None:
                raise _failure(MISSING_ARGUMENT, ID_MISSING_MESSAGE, "Id")
            return writer.update(user, kind, given, rest), False

        writes.append((given if isinstance(given, str) else None, write))
    return _run(app, writes, all_or_none)


def delete(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """DELETE /composite/sobjects?ids=…&allOrNone=…: delete ≤ 200 records by id."""
    given = [part for part in (call.param("ids") or "").split(",") if part]
    if not given:
        raise EmulatorError(INVALID_INPUT, "ids: required parameter is missing", 400)
    _limit(len(given))
    all_or_none = (call.param("allOrNone") or "false").lower() == "true"
    user = call.user
    writes: list[tuple[str | None, Write]] = [
        (record_id, _deleter(app, user, record_id)) for record_id in given
    ]
    return _run(app, writes, all_or_none)


def _deleter(app: WireApp, user: User, given: str) -> Write:
    def write() -> tuple[str, bool]:
        org = app.org
        if not ids.is_valid(given):
            raise _failure(MALFORMED_ID, MALFORMED_ID_IN_URL_MESSAGE.format(value=given))
        owner = org.key_prefixes().get(ids.to18(given)[:3])
        if owner is None or owner.lower() not in org.object_name_set:
            raise _failure(INVALID_CROSS_REFERENCE_KEY, INVALID_CROSS_REFERENCE_MESSAGE)
        name = org.resolve_name(owner)
        row = org.records.get(name, given)
        if row is None:
            raise _failure(INVALID_CROSS_REFERENCE_KEY, INVALID_CROSS_REFERENCE_MESSAGE)
        if row.get("IsDeleted"):
            raise _failure(ENTITY_IS_DELETED, ENTITY_IS_DELETED_MESSAGE)
        return org.writer.delete(user, name, given), False

    return write


def retrieve(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """GET ?ids=&fields= or POST {ids, fields}: the records in order, null for ids not found."""
    if call.method == "POST":
        body = call.json_body()
        given = body.get("ids") if isinstance(body, dict) else None
        fields = body.get("fields") if isinstance(body, dict) else None
        limit = 2000
    else:
        given = [part for part in (call.param("ids") or "").split(",") if part]
        fields = [part for part in (call.param("fields") or "").split(",") if part]
        limit = 800
    if not isinstance(given, list) or not all(isinstance(i, str) for i in given) or not given:
        raise EmulatorError(INVALID_INPUT, "ids: a list of record ids is required", 400)
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields) or not fields:
        raise EmulatorError(INVALID_INPUT, "fields: a list of field names is required", 400)
    if len(given) > limit:
        raise EmulatorError(EXCEEDED_ID_LIMIT, TOO_MANY_RECORDS_MESSAGE.format(limit=limit), 400)
    org = app.org
    name = org.resolve(call.user, args["name"])
    found: list[Any] = []
    for record_id in given:
        try:
            found.append(org.writer.retrieve(call.user, name, record_id, fields, call.version))
        except RecordErrors:
            found.append(None)  # not an id of this object
        except EmulatorError as exc:
            if exc.error_code != NOT_FOUND:
                raise
            found.append(None)
    return Reply(200, found)


def upsert(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """PATCH /composite/sobjects/<Name>/<ExtIdField>: upsert ≤ 200 records (``created`` flags)."""
    records, all_or_none = _body(call)
    org, user = app.org, call.user
    name = org.resolve(user, args["name"])
    field = org.writer.external_id_field(user, name, args["field"])
    writes: list[tuple[str | None, Write]] = []
    for kind, values in _typed(records):

        def write(kind: str = kind, values: dict[str, Any] = values) -> tuple[str, bool]:
            if org.resolve(user, kind) != name:
                raise _failure(INVALID_INPUT, f"every record must be of type {name}, not {kind}")
            key = next((k for k in values if k.lower() == field.lower()), None)
            value = values.get(key) if key is not None else None
            if not isinstance(value, str) or not value:
                raise _failure(MISSING_ARGUMENT, f"{field} not specified", field)
            record_id, created, matches = org.writer.upsert(user, name, field, value, values)
            if len(matches) > 1:
                message = f"{field}: more than one record found for external id field: {matches}"
                raise _failure(DUPLICATE_EXTERNAL_ID, message, field)
            return record_id, created

        writes.append((None, write))
    return _run(app, writes, all_or_none, upsert=True)
