"""Query routes: ``GET …/query?q=``, ``…/queryAll?q=`` and ``GET …/query/<locator>``.

Each request is one API call (counted by the wire). The SOQL runs in ``soql_eval``; paging and
open cursors live in ``soql_eval.paging``.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from sfschema import salesforce_errors as sfe
from sfschema.emulator.http import Call, Reply
from sfschema.emulator.org import Org
from sfschema.emulator.soql_eval.engine import run
from sfschema.emulator.soql_eval.objects import Context
from sfschema.emulator.soql_eval.paging import Pager, batch_size
from sfschema.errors import EmulatorError

if TYPE_CHECKING:
    from sfschema.emulator.wire import WireApp

_PAGERS: weakref.WeakKeyDictionary[Org, Pager] = weakref.WeakKeyDictionary()


def pager(org: Org) -> Pager:
    """The open query cursors of an org."""
    found = _PAGERS.get(org)
    if found is None:
        found = _PAGERS[org] = Pager()
    return found


def _text(app: WireApp, call: Call) -> str:
    params = call.args()
    if "explain" in params:
        if not call.nested:
            app.org.api_calls -= 1  # an emulator gap (501) is never charged
        raise EmulatorError(
            sfe.EMULATOR_NOT_IMPLEMENTED,
            "The sfschema emulator does not implement query plans (explain=) yet",
            501,
        )
    text = params.get("q")
    if text is None or not text.strip():
        raise EmulatorError(
            sfe.MALFORMED_QUERY, "A query needs the parameter q: GET …/query?q=SELECT+…", 400
        )
    return text


def _run(app: WireApp, call: Call, include_deleted: bool) -> Reply:
    ctx = Context(app.org, call.user, _text(app, call), include_deleted, call.version)
    result = run(ctx)
    batch = batch_size(call.header("Sforce-Query-Options"))
    page = pager(app.org).first_page(
        result.records, result.total_size, batch, call.version, ctx.now
    )
    return Reply(200, page)


def query(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    return _run(app, call, include_deleted=False)


def query_all(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    return _run(app, call, include_deleted=True)


def query_more(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    return Reply(200, pager(app.org).next_page(args["locator"], call.version, app.org.clock.now()))


def query_all_more(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    return query_more(app, call, args)
