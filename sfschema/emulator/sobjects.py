"""sObject Rows (``/sobjects/<Name>[/<Id>]``) and sObject Rows by External ID
(``/sobjects/<Name>/<Field>/<value>``): create, retrieve, update, delete, upsert.

REST API Developer Guide: "sObject Rows", "Create a Record", "Update a Record", "Delete a Record",
"Insert or Update (Upsert) a Record Using an External ID", "sObject Rows by External ID".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sfschema.emulator.http import Call, Reply, not_found, not_implemented

if TYPE_CHECKING:
    from sfschema.emulator.wire import WireApp


def _location(call: Call, name: str, record_id: str) -> dict[str, str]:
    return {"Location": f"{call.base}/sobjects/{name}/{record_id}"}


def create(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """POST /sobjects/<Name>: 201 ``{id, success, errors}`` with Location."""
    org = app.org
    name = org.resolve(call.user, args["name"])
    record_id = org.writer.create(call.user, name, call.json_body())
    body = {"id": record_id, "success": True, "errors": []}
    return Reply(201, body, _location(call, name, record_id), written=(record_id,))


def retrieve(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """GET /sobjects/<Name>/<Id>[?fields=A,B]: the record with its attributes."""
    org = app.org
    fields_param = call.param("fields")
    fields = [f.strip() for f in fields_param.split(",") if f.strip()] if fields_param else None
    record = org.writer.retrieve(call.user, args["name"], args["record_id"], fields, call.version)
    return Reply(200, record)


def update(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """PATCH /sobjects/<Name>/<Id>: 204 No Content."""
    org = app.org
    record_id = org.writer.update(call.user, args["name"], args["record_id"], call.json_body())
    return Reply(204, written=(record_id,))


def delete(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """DELETE /sobjects/<Name>/<Id>: 204 No Content (the record goes to the recycle bin)."""
    record_id = app.org.writer.delete(call.user, args["name"], args["record_id"])
    return Reply(204, written=(record_id,))


def upsert(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """PATCH /sobjects/<Name>/<Field>/<value>: 201 created, 200/204 updated, 300 ambiguous."""
    org = app.org
    name = org.resolve(call.user, args["name"])
    record_id, created, matches = org.writer.upsert(
        call.user, name, args["field"], args["value"], call.json_body()
    )
    if len(matches) > 1:
        return Reply(300, [f"{call.base}/sobjects/{name}/{match}" for match in matches])
    body = {"id": record_id, "success": True, "errors": []}
    if created:
        if call.version >= org.settings.upsert_update_body_from_version:
            body["created"] = True
        return Reply(201, body, _location(call, name, record_id), written=(record_id,))
    if call.version >= org.settings.upsert_update_body_from_version:
        return Reply(200, {**body, "created": False}, written=(record_id,))
    return Reply(204, written=(record_id,))


def by_external_id(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """GET /sobjects/<Name>/<Field>/<value>: the one record whose external id is the value."""
    if args["field"].lower() == "describe":
        raise not_implemented(call)  # describe/layouts, describe/compactLayouts …
    org = app.org
    name = org.resolve(call.user, args["name"])
    field = org.writer.external_id_field(call.user, name, args["field"])
    described = org.writer.rules(call.user, name).field(field) or {}
    matches = org.writer.find(name, field, args["value"], bool(described.get("caseSensitive")))
    if len(matches) > 1:
        return Reply(300, [f"{call.base}/sobjects/{name}/{match}" for match in matches])
    if not matches:
        raise not_found()
    fields_param = call.param("fields")
    fields = [f.strip() for f in fields_param.split(",") if f.strip()] if fields_param else None
    return Reply(200, org.writer.retrieve(call.user, name, matches[0], fields, call.version))
