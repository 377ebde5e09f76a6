"""``sfschema create | update | upsert | delete <Object>``: one record or a file of them.

Every row is validated before anything is sent; the valid ones go 1,000 to an API call. Exit 0
only when every row succeeded, 1 otherwise, 2 for bad input (nothing sent).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from sfschema.cli.query import connect, org_option
from sfschema.client import Client, RequestLimitExceeded, WriteResult
from sfschema.errors import SfschemaError
from sfschema.schema import OrgSchema

PROGRESS_OVER = 1000  # rows in a file before a terminal gets a progress bar
_NUMBER_TYPES = frozenset({"double", "currency", "percent"})


# -- input -----------------------------------------------------------------------------------------


def _json_object(text: str, where: str) -> dict[str, Any]:
    try:
        value = json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError) as exc:
        raise SfschemaError(f"{where}: not JSON ({exc}); write one JSON object") from exc
    if not isinstance(value, dict):
        raise SfschemaError(f"{where}: expected a JSON object, got {type(value).__name__}")
    return value


class RowFile:
    """The rows of a .jsonl or .csv file; ``count()`` reads it once to check every row first."""

    def __init__(self, path: Path, schema: OrgSchema, object_name: str) -> None:
        suffix = path.suffix.lower()
        if suffix not in (".jsonl", ".csv"):
            raise SfschemaError(f"--file {path}: give a .jsonl or .csv file (one record a row)")
        if not path.is_file():
            raise SfschemaError(f"--file {path}: no such file")
        self.path = path
        self.csv = suffix == ".csv"
        self.types = {f.name.lower(): f.type for f in schema.sobject(object_name).fields}

    def count(self) -> int:
        """Rows in the file; SfschemaError naming the first row that cannot be read."""
        return sum(1 for _ in self)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        try:
            with open(self.path, encoding="utf-8", newline="") as handle:
                if self.csv:
                    yield from self._csv_rows(handle)
                    return
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        yield _json_object(line, f"{self.path} line {number}")
        except UnicodeDecodeError as exc:
            raise SfschemaError(f"--file {self.path}: not UTF-8 text ({exc.reason})") from exc
        except OSError as exc:
            raise SfschemaError(f"--file {self.path}: {exc.strerror}") from exc

    def _csv_rows(self, handle: Any) -> Iterator[dict[str, Any]]:
        try:
            reader = csv.DictReader(handle, strict=True)
            for number, row in enumerate(reader, 2):
                if None in row or any(value is None for value in row.values()):
                    raise SfschemaError(
                        f"{self.path} line {number}: {len(reader.fieldnames or [])} columns in "
                        "the header, another number in this row"
                    )
                # An empty cell is a field left out, as Data Loader reads it.
                yield {key: self._csv_value(key, value) for key, value in row.items() if value}
        except csv.Error as exc:
            raise SfschemaError(f"{self.path}: not CSV ({exc})") from exc

    def _csv_value(self, column: str, text: str) -> Any:
        """CSV text as the field's JSON type; unknown columns stay text."""
        kind = self.types.get(column.lower())
        try:
            if kind in _NUMBER_TYPES:
                return Decimal(text)
            if kind in ("int", "long"):
                return int(text)
        except (InvalidOperation, ValueError):
            return text  # the validator names the field and the value
        if kind == "boolean" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        return text


# -- the commands ----------------------------------------------------------------------------------


def _write_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--json", "as_json", is_flag=True, help="One JSON result per row.")(func)
    func = click.option("--dry-run", is_flag=True, help="Validate only; send nothing.")(func)
    func = click.option(
        "--strict", is_flag=True, help="Unknown values of open picklists are errors."
    )(func)
    func = click.option(
        "--all-or-none", is_flag=True, help="Roll back an API call's records when one fails."
    )(func)
    func = click.option(
        "--file",
        "file_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Records to write: .jsonl (one JSON object a line) or .csv (a header row).",
    )(func)
    with_org: Callable[..., Any] = org_option(func)
    return with_org


@click.command("create")
@click.argument("object_name")
@click.option("--values", default=None, help="The record as a JSON object.")
@_write_options
def create_command(object_name: str, values: str | None, **options: Any) -> None:
    """Create OBJECT_NAME records (--values JSON or --file F)."""
    _run("create", object_name, values, None, None, **options)


@click.command("update")
@click.argument("object_name")
@click.option("--id", "record_id", default=None, help="The record to update (with --values).")
@click.option("--values", default=None, help="The fields to change as a JSON object.")
@_write_options
def update_command(
    object_name: str, record_id: str | None, values: str | None, **options: Any
) -> None:
    """Update OBJECT_NAME records (--id and --values, or --file F whose rows carry Id)."""
    _run("update", object_name, values, record_id, None, **options)


@click.command("upsert")
@click.argument("object_name")
@click.option("--external-id", "external_id", required=True, help="The external id field.")
@click.option("--values", default=None, help="The record as a JSON object (with the key).")
@_write_options
def upsert_command(object_name: str, external_id: str, values: str | None, **options: Any) -> None:
    """Upsert OBJECT_NAME records by an external id field (--values JSON or --file F)."""
    _run("upsert", object_name, values, None, external_id, **options)


@click.command("delete")
@click.argument("object_name")
@click.option("--id", "record_id", default=None, help="The record to delete.")
@_write_options
def delete_command(object_name: str, record_id: str | None, **options: Any) -> None:
    """Delete OBJECT_NAME records (--id, or --file F whose rows carry Id)."""
    _run("delete", object_name, None, record_id, None, **options)


def _run(
    operation: str,
    object_name: str,
    values: str | None,
    record_id: str | None,
    external_id: str | None,
    *,
    org: str | None,
    file_path: Path | None,
    all_or_none: bool,
    strict: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    single = values is not None or record_id is not None
    if single == (file_path is not None):
        raise click.UsageError(_usage(operation))
    if operation == "update" and single and (values is None or record_id is None):
        raise click.UsageError("update one record with --id ID --values JSON")
    if operation in ("create", "upsert") and single and values is None:
        raise click.UsageError(f"{operation} one record with --values JSON")
    one = _json_object(values, "--values") if values is not None else {}
    client = connect(org)
    schema = client.describe(object_name)
    name = schema.sobject(object_name).name
    rows: Any
    total = 1
    if file_path is not None:
        rows = RowFile(file_path, schema, name)
        total = rows.count()  # every row readable before anything is sent
    elif operation == "update":
        rows = [{**one, "Id": record_id}]
    elif operation == "delete":
        rows = [{"Id": record_id}]
    else:
        rows = [one]
    if dry_run:
        results = _dry_run(client, operation, name, rows, external_id, strict)
    else:
        results = _send(client, operation, name, rows, external_id, strict, all_or_none, total)
    _report(operation, name, results, client, as_json, dry_run)


def _usage(operation: str) -> str:
    one = {
        "create": "--values JSON",
        "update": "--id ID --values JSON",
        "upsert": "--external-id FIELD --values JSON",
        "delete": "--id ID",
    }[operation]
    return f"{operation} one record ({one}) or a file of them (--file F), not both"


def _ids(rows: Any) -> Iterator[Any]:
    for row in rows:
        yield row.get("Id", row.get("id")) if isinstance(row, dict) else row


def _dry_run(
    client: Client,
    operation: str,
    name: str,
    rows: Any,
    external_id: str | None,
    strict: bool,
) -> list[WriteResult]:
    validator = client.validator(name)
    results: list[WriteResult] = []
    for index, row in enumerate(rows):
        if operation in ("create", "upsert"):
            report = validator.create(row, strict=strict)
        elif operation == "update":
            rest = {k: v for k, v in row.items() if k.lower() != "id"}
            report = validator.update(row.get("Id", row.get("id")), rest, strict=strict)
        else:
            report = validator.update(row.get("Id", row.get("id")), {}, strict=strict)
        result = WriteResult(index, "succeeded" if report.ok else "rejected", report=report)
        results.append(result)
    return results


def _send(
    client: Client,
    operation: str,
    name: str,
    rows: Any,
    external_id: str | None,
    strict: bool,
    all_or_none: bool,
    total: int,
) -> list[WriteResult]:
    options: dict[str, Any] = {"all_or_none": all_or_none}
    if total > PROGRESS_OVER and sys.stderr.isatty():
        with click.progressbar(length=total, label=f"{operation} {name}", file=sys.stderr) as bar:
            options["on_progress"] = bar.update
            return _write(client, operation, name, rows, external_id, strict, options)
    return _write(client, operation, name, rows, external_id, strict, options)


def _write(
    client: Client,
    operation: str,
    name: str,
    rows: Any,
    external_id: str | None,
    strict: bool,
    options: dict[str, Any],
) -> list[WriteResult]:
    try:
        if operation == "create":
            return client.create_many(name, rows, strict=strict, **options)
        if operation == "update":
            return client.update_many(name, rows, strict=strict, **options)
        if operation == "upsert":
            assert external_id is not None
            return client.upsert_many(name, external_id, rows, strict=strict, **options)
        return client.delete_many(name, _ids(rows), **options)
    except RequestLimitExceeded as exc:
        _report(operation, name, exc.results, client, False, False, exit_code=False)
        raise


def _report(
    operation: str,
    name: str,
    results: list[WriteResult],
    client: Client,
    as_json: bool,
    dry_run: bool,
    exit_code: bool = True,
) -> None:
    for result in results:
        if as_json:
            click.echo(json.dumps(result.to_json(), ensure_ascii=False, default=str))
        elif result.outcome == "succeeded" and not dry_run and len(results) == 1:
            created = "" if result.created is None else (" created" if result.created else "")
            click.echo(f"row {result.index + 1}: {result.id}{created}")
        elif result.outcome != "succeeded":
            click.echo(f"row {result.index + 1}: {result.outcome}")
            if result.report is not None and result.report.errors:
                for issue in result.report.errors:
                    click.echo("  " + issue.render().replace("\n", "\n  "))
            for error in result.errors:
                fields = f" [{', '.join(error.fields)}]" if error.fields else ""
                click.echo(f"  {error.error_code}{fields}: {error.message}")
    counts = {key: 0 for key in ("succeeded", "rejected", "failed", "unknown")}
    for result in results:
        counts[result.outcome] += 1
    if dry_run:
        line = (
            f"{operation} {name} (dry run, nothing sent): {counts['succeeded']} valid, "
            f"{counts['rejected']} rejected"
        )
    else:
        line = (
            f"{operation} {name}: {counts['succeeded']} succeeded, {counts['rejected']} rejected "
            f"before sending, {counts['failed']} failed at Salesforce, {counts['unknown']} "
            f"unknown, {client.api_calls} API call(s)"
        )
    click.echo(line, err=True)
    if exit_code:  # 0 only when every row succeeded
        raise click.exceptions.Exit(0 if counts["succeeded"] == len(results) else 1)
