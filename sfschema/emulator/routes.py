"""Every route of the emulator and its handler, in one table (as moto's ``urls.py``).

REST routes are paths under ``/services/data/vXX.X``; a handler takes the app, the Call and the
path's arguments and returns a Reply. Login routes (SOAP login, OAuth token, identity) take the
raw werkzeug Request. Adding a resource = a handler module plus one row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request

from sfschema.emulator import collections, composite, login, query, resources, sobjects
from sfschema.emulator.http import Call, Reply

if TYPE_CHECKING:
    from sfschema.emulator.wire import WireApp

Handler = Callable[["WireApp", Call, dict[str, str]], Reply]
LoginHandler = Callable[["WireApp", Request, dict[str, str]], Reply]


@dataclass(frozen=True)
class Route:
    """One REST route: a path under /services/data/vXX.X, its methods and its handler."""

    path: str
    endpoint: str
    methods: tuple[str, ...]
    handler: Handler


@dataclass(frozen=True)
class LoginRoute:
    """One route outside /services/data (authentication); never charged as an API call."""

    path: str
    endpoint: str
    methods: tuple[str, ...]
    handler: LoginHandler


GET = ("GET",)

REST_ROUTES: tuple[Route, ...] = (
    Route("/", "resources", GET, resources.resources),
    Route("/limits", "limits", GET, resources.limits),
    Route("/limits/recordCount", "record_count", GET, resources.record_count),
    # describes and UI API picklist values
    Route("/sobjects", "global", GET, resources.global_describe),
    Route("/sobjects/<name>", "basic_info", GET, resources.basic_info),
    Route("/sobjects/<name>/describe", "describe", GET, resources.describe),
    Route(
        "/ui-api/object-info/<name>/picklist-values/<rt>",
        "picklist_values",
        GET,
        resources.picklist_values,
    ),
    Route(
        "/ui-api/object-info/<name>/picklist-values/<rt>/<field>",
        "picklist_field_values",
        GET,
        resources.picklist_field_values,
    ),
    # sObject Rows and sObject Rows by External ID
    Route("/sobjects/<name>", "create", ("POST",), sobjects.create),
    Route("/sobjects/<name>/<record_id>", "retrieve", GET, sobjects.retrieve),
    Route("/sobjects/<name>/<record_id>", "update", ("PATCH",), sobjects.update),
    Route("/sobjects/<name>/<record_id>", "delete", ("DELETE",), sobjects.delete),
    Route("/sobjects/<name>/<field>/<path:value>", "upsert", ("PATCH",), sobjects.upsert),
    Route("/sobjects/<name>/<field>/<path:value>", "by_external_id", GET, sobjects.by_external_id),
    # Query, QueryAll and their next pages (query locators)
    Route("/query", "query", GET, query.query),
    Route("/queryAll", "query_all", GET, query.query_all),
    Route("/query/<locator>", "query_more", GET, query.query_more),
    Route("/queryAll/<locator>", "query_all_more", GET, query.query_all_more),
    # Composite, Composite Batch and sObject Collections
    Route("/composite", "composite", ("POST",), composite.composite),
    Route("/composite/batch", "batch", ("POST",), composite.batch),
    Route("/composite/sobjects", "collection_create", ("POST",), collections.create),
    Route("/composite/sobjects", "collection_update", ("PATCH",), collections.update),
    Route("/composite/sobjects", "collection_delete", ("DELETE",), collections.delete),
    Route("/composite/sobjects/<name>", "collection_get", GET, collections.retrieve),
    Route("/composite/sobjects/<name>", "collection_post", ("POST",), collections.retrieve),
    Route(
        "/composite/sobjects/<name>/<field>", "collection_upsert", ("PATCH",), collections.upsert
    ),
)

LOGIN_ROUTES: tuple[LoginRoute, ...] = (
    LoginRoute("/services/Soap/u/<version>", "soap_login", ("POST",), login.soap_login),
    LoginRoute("/services/oauth2/token", "token", ("POST",), login.token),
    LoginRoute("/services/oauth2/userinfo", "userinfo", GET, login.userinfo),
    LoginRoute("/id/<org_id>/<user_id>", "identity", GET, login.identity),
)

#: Endpoints that count themselves (a batch charges one call per subrequest).
SELF_CHARGING = frozenset({"batch"})
