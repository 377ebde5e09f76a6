"""The ``sfschema`` command line: the composition root (nothing imports it).

Commands load lazily (click's documented lazy-group pattern): ``COMMANDS`` maps each command
name to the module and attribute that define it and its short help, so ``sfschema --help``
lists every command without importing any of them, and ``sfschema validate`` imports only the
validate command. A new command is one more ``COMMANDS`` row; its module defines a plain
``@click.command()`` (or ``@click.group()``).

``main`` turns every SfschemaError (a user mistake or a refused request) into one line on stderr
and exit code 2 — never a traceback.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from typing import Any

import click

from sfschema.errors import SfschemaError

# name → (module, attribute, short help shown by ``sfschema --help``; a test pins each to the
# command's own short help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "describe": (
        "sfschema.cli.describe",
        "describe",
        "Print an object's fields: type, size, picklist values, writability, references.",
    ),
    "create": (
        "sfschema.cli.write",
        "create_command",
        "Create OBJECT_NAME records (--values JSON or --file F).",
    ),
    "delete": (
        "sfschema.cli.write",
        "delete_command",
        "Delete OBJECT_NAME records (--id, or --file F whose rows carry Id).",
    ),
    "emulator": ("sfschema.cli.emulator", "emulator", "The offline Salesforce org emulator."),
    "generate": (
        "sfschema.cli.generate",
        "generate",
        "Generate one module per object (<Object>, <Object>Create, <Object>Update, META).",
    ),
    "pull": (
        "sfschema.cli.describe",
        "pull",
        "Write (or revalidate) a snapshot of the org's describes into OUT.",
    ),
    "query": (
        "sfschema.cli.query",
        "query_command",
        "Run SOQL against the org (checked first) and stream its rows.",
    ),
    "run": (
        "sfschema.cli.run",
        "run",
        "Run the steps of ACTION_FILE (YAML or JSON) over a JSON --context.",
    ),
    "soql": (
        "sfschema.cli.soql",
        "soql",
        "Check SOQL against an org's schema, or lay it out for reading.",
    ),
    "status": (
        "sfschema.cli.status",
        "status_command",
        "Check the session: user, org, instance, API version, API usage and describe cache.",
    ),
    "update": (
        "sfschema.cli.write",
        "update_command",
        "Update OBJECT_NAME records (--id and --values, or --file F whose rows carry Id).",
    ),
    "upsert": (
        "sfschema.cli.write",
        "upsert_command",
        "Upsert OBJECT_NAME records by an external id field (--values JSON or --file F).",
    ),
    "validate": (
        "sfschema.cli.validate",
        "validate",
        "Check field VALUES for a create or an update of OBJECT_NAME.",
    ),
}


class LazyGroup(click.Group):
    """A ``click.Group`` whose subcommands are imported on first use (from a lazy table)."""

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, tuple[str, str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            self.add_command(self.load(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.NoSuchCommand:  # suggest from every command, loaded or not
            raise click.NoSuchCommand(
                args[0], possibilities=self.list_commands(ctx), ctx=ctx
            ) from None

    def load(self, cmd_name: str) -> click.Command:
        """Import the command's module and return the command it defines."""
        module_name, attribute, _ = self.lazy_commands[cmd_name]
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}.{attribute} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands section of ``--help``: short help from the lazy table (no imports)."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows: list[tuple[str, str]] = []
        for name in names:
            if name in self.lazy_commands and name not in self.commands:
                # click's own shortening, on a stand-in that carries only the table's help
                stand_in = click.Command(name, help=self.lazy_commands[name][2])
                text = stand_in.get_short_help_str(limit)
            else:
                command = self.get_command(ctx, name)
                if command is None or command.hidden:
                    continue
                text = command.get_short_help_str(limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="sfschema")
def cli() -> None:
    """Salesforce schema toolkit: pull, describe, generate, validate, SOQL, emulator."""


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console-script entry point)."""
    try:
        result = cli.main(args=argv, prog_name="sfschema", standalone_mode=False)
    except SfschemaError as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
