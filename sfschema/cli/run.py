"""``sfschema run``: a workflow's action file over a JSON context — checked, then sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from sfschema.actions import StaticCheck, load_actions
from sfschema.actions.run import ItemResult, RunResult
from sfschema.cli.query import connect
from sfschema.errors import SfschemaError

MAX_CONTEXT_BYTES = 10_000_000


@click.command()
@click.argument("action_file", type=click.Path(path_type=Path))
@click.option(
    "--context",
    "context_file",
    type=click.Path(path_type=Path),
    default=None,
    help="The workflow's JSON context (read as json.… in templates).",
)
@click.option(
    "--org",
    default=None,
    help="'demo' for the built-in demo org; default: SF_* environment, else demo.",
)
@click.option("--dry-run", is_flag=True, help="Render and validate; send no write.")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="No context needed: list the paths each template reads, check static parts.",
)
@click.option(
    "--time-zone",
    default="UTC",
    show_default=True,
    help="IANA zone for sf_date/sf_datetime and log_activity's date.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: items, api_calls.")
def run(
    action_file: Path,
    context_file: Path | None,
    org: str | None,
    dry_run: bool,
    check_only: bool,
    time_zone: str,
    as_json: bool,
) -> int:
    """Run the steps of ACTION_FILE (YAML or JSON) over a JSON --context.

    Prints each item's rendered parameters and validation report, then (unless --dry-run) its
    outcome and record id, and one summary line. Exit 0 when every item is done, 1 when any was
    rejected or failed, 2 for bad input (file, YAML, template, missing context path).

    \b
    sfschema run examples/post_meeting_tasks.yaml --context examples/meeting.json --org demo
    """
    workflow = load_actions(action_file, time_zone=time_zone)
    client = connect(org)
    if check_only:
        checks = workflow.check(client.describe(*workflow.objects()))
        _print_checks(checks, as_json)
        return 1 if any(c.problems for c in checks) else 0
    if context_file is None:
        raise click.UsageError("give --context FILE (or --check to check without data)")
    result = workflow.run(client, read_context(context_file), dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        _print_result(result)
    click.echo(result.summary(), err=True)
    return 0 if result.ok else 1


def read_context(path: Path) -> Any:
    """The JSON context file, or one clear error naming it."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONTEXT_BYTES + 1)
    except OSError as exc:
        raise SfschemaError(f"cannot read context file {path}: {exc.strerror}") from exc
    if len(raw) > MAX_CONTEXT_BYTES:
        raise SfschemaError(f"context file {path} is larger than {MAX_CONTEXT_BYTES:,} bytes")
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SfschemaError(f"context file {path} is not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise SfschemaError(f"context file {path} nests too deeply") from exc


def _print_checks(checks: list[StaticCheck], as_json: bool) -> None:
    if as_json:
        data = [{"step": c.step, "paths": c.paths, "problems": list(c.problems)} for c in checks]
        click.echo(json.dumps(data, indent=2))
        return
    for check in checks:
        click.echo(f"step {check.step}: " + ("ok" if not check.problems else "problems"))
        for where, paths in check.paths.items():
            click.echo(f"  {where} reads {', '.join(paths) if paths else 'nothing (static)'}")
        for problem in check.problems:
            click.echo(f"  error {problem}")


def _print_result(result: RunResult) -> None:
    for item in result.items:
        click.echo(_headline(item))
        click.echo("  params: " + json.dumps(item.to_json()["params"], ensure_ascii=False))
        if item.report is not None:
            click.echo("  " + str(item.report).replace("\n", "\n  "))
        for error in item.errors:
            fields = f" [{', '.join(error.fields)}]" if error.fields else ""
            click.echo(f"  salesforce: {error.error_code}: {error.message}{fields}")


def _headline(item: ItemResult) -> str:
    what = f"{item.step}[{item.index}] {item.action}"
    if item.object_name:
        what += f" {item.object_name}"
    outcome = item.outcome
    if item.record_id:
        outcome += f" {item.record_id}"
    if item.rows is not None:
        outcome += f" ({item.rows} rows)"
    if item.outcome == "rejected":
        outcome += " (not sent)"
    return f"{what}: {outcome}"
