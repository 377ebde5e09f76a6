"""REST resources of the emulator: describes, UI API picklist values, limits."""

from __future__ import annotations

from sfschema.emulator.wire import Call, Reply, WireApp, route
from sfschema.errors import EmulatorError


@route("/", "resources")
def resources(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    """GET /services/data/vXX.X/: the resources of this version."""
    base = f"/services/data/v{call.version}.0"
    names = ("composite", "limits", "query", "queryAll", "search", "sobjects", "tooling", "ui-api")
    return Reply(200, {name: f"{base}/{name}" for name in names})


@route("/sobjects", "global")
def global_describe(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    return app.conditional(call, app.org.global_describe(call.user))


@route("/sobjects/<name>", "basic_info")
def basic_info(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    return Reply(200, app.org.basic_info(call.user, args["name"]))


@route("/sobjects/<name>/describe", "describe")
def describe(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    return app.conditional(call, app.org.describe(call.user, args["name"]))


@route("/ui-api/object-info/<name>/picklist-values/<rt>", "picklist_values")
def picklist_values(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    return Reply(200, app.org.picklist_values(call.user, args["name"], args["rt"]))


@route("/ui-api/object-info/<name>/picklist-values/<rt>/<field>", "picklist_field_values")
def picklist_field_values(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    values = app.org.picklist_values(call.user, args["name"], args["rt"])
    by_lower = {name.lower(): spec for name, spec in values["picklistFieldValues"].items()}
    spec = by_lower.get(args["field"].lower())
    if spec is None:
        raise EmulatorError("NOT_FOUND", "The requested resource does not exist", 404)
    return Reply(200, spec)


@route("/limits", "limits")
def limits(app: WireApp, call: Call, args: dict[str, str]) -> Reply:
    return Reply(200, app.org.limits())
