"""``sfschema soql check`` and ``sfschema soql format``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from sfschema.cli.common import load_schema, open_connection, org_options, parse_params
from sfschema.errors import SoqlSyntaxError
from sfschema.schema import OrgSchema
from sfschema.soql.ast import Query
from sfschema.soql.check import Diagnostic, check, syntax_diagnostic
from sfschema.soql.compiler import render
from sfschema.soql.params import bind, require_names
from sfschema.soql.parser import parse


@click.group()
def soql() -> None:
    """Check SOQL against an org's schema, or lay it out for reading."""


def _read(query: str) -> str:
    return sys.stdin.read() if query == "-" else query


def _caret(text: str, diagnostic: Diagnostic) -> list[str]:
    if diagnostic.line is None or diagnostic.column is None:
        return []
    line = text.splitlines()[diagnostic.line - 1] if text.splitlines() else ""
    return ["  " + line, "  " + " " * (diagnostic.column - 1) + "^"]


@soql.command("check")
@click.argument("query")
@org_options
@click.option(
    "--no-schema",
    is_flag=True,
    help="Check syntax and schema-free limits only: no org, no snapshot.",
)
@click.option("--param", "param_values", multiple=True, metavar="NAME=VALUE", help="Bind :NAME.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def check_command(
    ctx: click.Context,
    query: str,
    org: str | None,
    snapshot: Path | None,
    no_schema: bool,
    param_values: tuple[str, ...],
    as_json: bool,
) -> None:
    """Check QUERY (or '-' for stdin); exit 0 without errors (warnings allowed), 1 with.

    The schema comes from --snapshot, --org demo, else the SF_* environment, else the demo
    org (said on stderr), as for the other commands. Every :NAME needs a --param NAME=VALUE.
    """
    if no_schema and (org is not None or snapshot is not None):
        raise click.UsageError("--no-schema checks against no org: drop --org and --snapshot")
    if snapshot is not None and org is not None:
        raise click.UsageError("give --org or --snapshot, not both")
    text = _read(query)
    params = parse_params(param_values)
    result = _Result(text)
    try:
        tree = parse(text, params=True)
    except SoqlSyntaxError as exc:  # nothing to look up: no describes fetched
        result.diagnostics = [syntax_diagnostic(exc)]
        result.against = "the query does not parse, so no schema was consulted"
    else:
        result.names = require_names(tree, params, partial=True)  # before any describe call
        schema = None
        if no_schema:
            result.against = "without a schema (--no-schema)"
        else:
            schema, result.source, result.against = _load(org, snapshot, tree)
        tree = bind(tree, params, schema, partial=True)
        if params:  # positions must point into the text that is shown: the bound one
            result.bound = render(tree)
            tree = parse(result.bound, params=True)
        result.diagnostics = check(
            tree, schema, text=result.shown, bind_hint="--param {name}=VALUE"
        )
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        for line in result.lines():
            click.echo(line)
    ctx.exit(1 if result.errors else 0)


def _load(org: str | None, snapshot: Path | None, tree: Query) -> tuple[OrgSchema, str, str]:
    """The schema, its name for --json and the words for the verdict line.

    A snapshot is named as the user gave it. An org is asked (through the describe cache) for
    only the objects the query reaches; the demo org is "the demo org", never a path.
    """
    if snapshot is not None:
        return load_schema(org, snapshot), str(snapshot), f"against {snapshot}"
    from sfschema.describe.cache import DescribeCache
    from sfschema.soql.org_schema import schema_for

    connection = open_connection(org)
    cache = DescribeCache(connection.transport)
    if connection.emulator is not None:
        name, words = "demo", "against the demo org"
    else:
        name = cache.identity.org_id
        words = f"against org {name}"
    return schema_for(tree, cache, name), name, words


class _Result:
    """What ``soql check`` found, and how it is shown."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.bound: str | None = None
        self.names: list[str] = []
        self.source: str | None = None
        self.against = ""
        self.diagnostics: list[Diagnostic] = []

    @property
    def shown(self) -> str:
        return self.text if self.bound is None else self.bound

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    def to_json(self) -> dict[str, Any]:
        errors = len(self.errors)
        return {
            "ok": not errors,
            "soql": self.shown,
            "schema": self.source,
            "placeholders": self.names,
            "errors": errors,
            "warnings": len(self.diagnostics) - errors,
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }

    def lines(self) -> list[str]:
        lines = [] if self.bound is None else [f"bound: {self.bound}"]
        for diagnostic in self.diagnostics:
            where = (
                f" at {diagnostic.line}:{diagnostic.column}" if diagnostic.line is not None else ""
            )
            lines.append(f"{diagnostic.severity} {diagnostic.code}{where}: {diagnostic.message}")
            lines.extend(_caret(self.shown, diagnostic))
            if diagnostic.suggestion:
                lines.append(f"  suggestion: {diagnostic.suggestion}")
        errors = len(self.errors)
        verdict = "OK" if not errors else "FAILED"
        warnings = len(self.diagnostics) - errors
        lines.append(f"{verdict}: {errors} error(s), {warnings} warning(s), {self.against}")
        return lines


@soql.command("format")
@click.argument("query")
@click.option("--oneline", is_flag=True, help="One line instead of one clause a line.")
def format_command(query: str, oneline: bool) -> None:
    """Print QUERY (or '-' for stdin) laid out canonically; parse errors exit 2."""
    tree = parse(_read(query), params=True)
    click.echo(render(tree, pretty=not oneline))
