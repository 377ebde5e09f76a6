"""The ``sfschema`` command line: the composition root (nothing imports it).

Each command group lives in its own module and registers itself on ``cli`` when imported;
``main`` turns every SfschemaError (a user mistake or a refused request) into one line on stderr
and exit code 2 — never a traceback.
"""

from __future__ import annotations

import sys

import click

from sfschema.errors import SfschemaError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sfschema")
def cli() -> None:
    """Salesforce schema toolkit: pull, describe, generate, validate, SOQL, emulator."""


def _register_commands() -> None:
    # Each module adds its commands to `cli` at import time.
    from sfschema.cli import (  # noqa: F401
        describe,
        emulator,
        generate,
        soql,
        validate,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console-script entry point)."""
    _register_commands()
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
