"""REST resources of the emulator: describes, UI API picklist values, limits."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sfschema.emulator.formats import etag_for
from sfschema.emulator.http import Call, Reply, not_found
from sfschema.emulator.org import Versioned

if TYPE_CHECKING:
    from sfschema.emulator.wire import WireApp

_DATA_PATH = re.compile(r"^/services/data/v[0-9]+\.[0-9]+(?=/|\?|$)")
# First API version of each UI API picklist resource (User Interface API Developer Guide).
UI_API_ALL_FIELDS_SINCE = 42
UI_API_ONE_FIELD_SINCE = 41


def localized(payload: Any, version: int, instance_url: str) -> Any:
    """A copy of ``payload`` whose ``url`` / ``urls`` values name the asked version and host.

    Snapshots store the URLs of the org and version they were pulled from; Salesforce answers
    with the version in the request path and its own host.

    >>> localized({"urls": {"sobject": "/services/data/v59.0/sobjects/Account",
    ...                     "uiNewRecord": "https://na1.salesforce.com/001/e"}},
    ...           45, "https://127.0.0.1:8443")
    {'urls': {'sobject': '/services/data/v45.0/sobjects/Account', 'uiNewRecord': 'https://127.0.0.1:8443/001/e'}}
    """
    base = instance_url.rstrip("/")

    def fix(value: str) -> str:
        value = _DATA_PATH.sub(f"/services/data/v{version}.0", value)
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.netloc:
            return base + value[len(f"{parts.scheme}://{parts.netloc}") :]
        return value

    def walk(node: Any, in_urls: bool) -> Any:
        if isinstance(node, dict):
            return {
                key: fix(value)
                if isinstance(value, str) and (in_urls or key == "url")
                else walk(value, key == "urls")
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [walk(item, False) for item in node]
        return node

    return walk(payload, False)


def _as_asked(app: WireApp, call: Call, versioned: Versioned) -> Versioned:
    """The payload with the URLs of this request (and an ETag of its own)."""
    payload = localized(versioned.payload, call.version, app.instance_url)
    etag = etag_for(versioned.etag, str(call.version), app.instance_url)
    return replace(versioned, payload=payload, etag=etag)


def resources(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """GET /services/data/vXX.X/: the resources of this version."""
    base = f"/services/data/v{call.version}.0"
    names = ("composite", "limits", "query", "queryAll", "search", "sobjects", "tooling", "ui-api")
    return Reply(200, {name: f"{base}/{name}" for name in names})


def global_describe(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    return app.conditional(call, _as_asked(app, call, app.org.global_describe(call.user)))


def basic_info(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    info = app.org.basic_info(call.user, args["name"])
    return Reply(200, localized(info, call.version, app.instance_url))


def describe(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    return app.conditional(call, _as_asked(app, call, app.org.describe(call.user, args["name"])))


def _picklist_values(app: WireApp, call: Call, args: dict[str, str]) -> dict[str, Any]:
    values = app.org.picklist_values(call.user, args["name"], args["rt"], call.version)
    result: dict[str, Any] = localized(values, call.version, app.instance_url)
    return result


def picklist_values(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    if call.version < UI_API_ALL_FIELDS_SINCE:
        raise not_found()
    return Reply(200, _picklist_values(app, call, args))


def picklist_field_values(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    if call.version < UI_API_ONE_FIELD_SINCE:
        raise not_found()
    values = _picklist_values(app, call, args)
    by_lower = {name.lower(): spec for name, spec in values["picklistFieldValues"].items()}
    spec = by_lower.get(args["field"].lower())
    if spec is None:
        raise not_found()
    return Reply(200, spec)


def limits(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    return Reply(200, app.org.limits())


def record_count(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """GET /limits/recordCount[?sObjects=A,B]: rows per object, from the org's records."""
    asked = call.args().get("sObjects")
    names = None if asked is None else [name for name in asked.split(",") if name.strip()]
    names = None if names is None else [name.strip() for name in names]
    return Reply(200, {"sObjects": app.org.record_counts(call.user, names)})
