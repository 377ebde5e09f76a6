"""``sfschema pull`` and ``sfschema describe``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sfschema.cli.common import load_schema, open_connection, org_options, split_names
from sfschema.errors import DescribeError
from sfschema.suggest import did_you_mean

if TYPE_CHECKING:
    from sfschema.describe.models import FieldDescribe


@click.command()
@click.option("--org", default=None, help="'demo' or SF_* environment (default).")
@click.option("--objects", default=None, help="Comma-separated object names.")
@click.option("--all", "all_objects", is_flag=True, help="Every object of the org.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Snapshot directory.")
def pull(org: str | None, objects: str | None, all_objects: bool, out: Path) -> None:
    """Write (or revalidate) a snapshot of the org's describes into OUT."""
    from rich.console import Console  # rich only where a progress bar or table is printed
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from sfschema.describe.cache import DescribeCache
    from sfschema.describe.pull import pull_record_type_picklists

    if all_objects and objects:
        raise click.UsageError("give --objects or --all, not both")
    names = None if all_objects or not objects else split_names(objects)
    if names is None and not all_objects:
        raise click.UsageError("give --objects A,B or --all")
    connection = open_connection(org)
    cache = DescribeCache(connection.transport, directory=out)
    console = Console(stderr=True)
    with Progress(
        TextColumn("describe"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("describe", total=None)
        result = cache.sync(
            names,
            revalidate=True,
            on_total=lambda total: progress.update(task, total=total),
            on_progress=lambda n: progress.advance(task, n),
        )
    extra_calls = pull_record_type_picklists(connection.transport, cache.store, result.fetched)
    result.calls += extra_calls
    click.echo(
        f"pulled {len(result.objects)} objects into {out}: {len(result.fetched)} fetched, "
        f"{len(result.unchanged)} unchanged (304), {result.calls} API calls, "
        f"{result.seconds:.2f}s"
    )


@click.command()
@click.argument("object_name")
@click.option("--field", "field_name", default=None, help="Show one field.")
@click.option("--json", "as_json", is_flag=True, help="Print the raw describe JSON.")
@org_options
def describe(
    object_name: str, field_name: str | None, as_json: bool, org: str | None, snapshot: Path | None
) -> None:
    """Print an object's fields: type, size, picklist values, writability, references."""
    from rich.console import Console
    from rich.table import Table

    schema = load_schema(org, snapshot, [object_name])
    sobject = schema.sobject(object_name)
    fields = list(sobject.fields)
    if field_name is not None:
        found = sobject.field(field_name)
        if found is None:
            raise DescribeError(
                f"No such column '{field_name}' on sobject of type {sobject.name}"
                + did_you_mean(field_name, [f.name for f in fields])
            )
        fields = [found]
    if as_json:
        payload: Any = schema.raw(sobject.name)
        if field_name is not None:
            payload = fields[0].to_json()
        click.echo(json.dumps(payload, indent=2, sort_keys=True))
        return
    count = f"{len(fields)} field" + ("" if len(fields) == 1 else "s")
    table = Table(title=f"{sobject.name} ({sobject.label}) — {count}")
    for column in ("Field", "Type", "Size", "Values", "Create", "Update", "Kind", "References"):
        table.add_column(column, overflow="fold")
    for described in fields:
        table.add_row(
            described.name,
            described.type,
            _size(described),
            _values(described),
            _yes(described.createable),
            _yes(described.updateable),
            _kind(described),
            ", ".join(described.referenceTo),
        )
    Console(width=160).print(table)


def _yes(flag: bool) -> str:
    return "yes" if flag else "-"


def _size(field: FieldDescribe) -> str:
    if field.type in ("double", "currency", "percent"):
        return f"{field.precision},{field.scale}"
    if field.type in ("int", "long"):
        return f"{field.digits} digits"
    return str(field.length) if field.length else ""


def _values(field: FieldDescribe) -> str:
    if not field.picklistValues:
        return ""
    shown = []
    for entry in field.picklistValues:
        marks = ("*" if entry.defaultValue else "") + ("" if entry.active else " (inactive)")
        shown.append(entry.value + marks)
    prefix = "restricted: " if field.restrictedPicklist else ""
    if field.dependentPicklist and field.controllerName:
        prefix += f"depends on {field.controllerName}: "
    return prefix + "; ".join(shown)


def _kind(field: FieldDescribe) -> str:
    kinds = []
    if field.calculated:
        kinds.append("formula")
    if field.autoNumber:
        kinds.append("autonumber")
    if field.custom:
        kinds.append("custom")
    if field.required_on_create:
        kinds.append("required")
    return ", ".join(kinds)
