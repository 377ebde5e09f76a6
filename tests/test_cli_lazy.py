"""The CLI loads each command on demand: ``--help`` imports none of them, a command only its own."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from sfschema.cli import COMMANDS, LazyGroup, cli, main
from sfschema.demo import demo_org_dir

HEAVY = (
    "jinja2",
    "lark",
    "pydantic",
    "requests",
    "rich",
    "simple_salesforce",
    "werkzeug",
    "codegen",
    "sfschema.describe.models",
    "sfschema.emulator",
    "sfschema.schema",
    "sfschema.soql",
    "sfschema.validate",
    *(module for module, _, _ in COMMANDS.values()),
)

# Run main() in a fresh interpreter; print the heavy modules it imported as JSON on stderr.
PROBE = """
import json, sys
from sfschema.cli import main
code = main(sys.argv[1:])
heavy = {heavy!r}
loaded = sorted(name for name in heavy if name in sys.modules)
print(json.dumps(loaded), file=sys.stderr)
sys.exit(code)
"""


def probe(*args: str) -> tuple[int, str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    *err, loaded = result.stderr.splitlines()
    assert not err, result.stderr
    return result.returncode, result.stdout, json.loads(loaded)


def test_every_lazy_command_loads_with_the_help_its_table_row_shows() -> None:
    assert isinstance(cli, LazyGroup)
    for name, (module, attribute, short_help) in COMMANDS.items():
        command = cli.load(name)
        assert command.name == name
        assert command.get_short_help_str(limit=1000) == short_help, name
        assert command is getattr(sys.modules[module], attribute)


def test_help_lists_every_command_without_importing_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, loaded = probe("--help")
    assert (code, loaded) == (0, [])
    assert out == (
        "Usage: sfschema [OPTIONS] COMMAND [ARGS]...\n"
        "\n"
        "  Salesforce schema toolkit: pull, describe, generate, validate, SOQL,\n"
        "  emulator.\n"
        "\n"
        "Options:\n"
        "  --version   Show the version and exit.\n"
        "  -h, --help  Show this message and exit.\n"
        "\n"
        "Commands:\n"
        "  create    Create OBJECT_NAME records (--values JSON or --file F).\n"
        "  delete    Delete OBJECT_NAME records (--id, or --file F whose rows...\n"
        "  describe  Print an object's fields: type, size, picklist values,...\n"
        "  emulator  The offline Salesforce org emulator.\n"
        "  generate  Generate one module per object (<Object>, <Object>Create,...\n"
        "  pull      Write (or revalidate) a snapshot of the org's describes into...\n"
        "  query     Run SOQL against the org (checked first) and stream its rows.\n"
        "  run       Run the steps of ACTION_FILE (YAML or JSON) over a JSON...\n"
        "  soql      Check SOQL against an org's schema, or lay it out for reading.\n"
        "  status    Check the session: user, org, instance, API version, API...\n"
        "  update    Update OBJECT_NAME records (--id and --values, or --file F...\n"
        "  upsert    Upsert OBJECT_NAME records by an external id field (--values...\n"
        "  validate  Check field VALUES for a create or an update of OBJECT_NAME.\n"
    )
    # the same text as click prints with every command loaded (what an eager group shows)
    for name in COMMANDS:
        cli.load(name)
    eager = click.Group(
        name="sfschema",
        commands={name: cli.load(name) for name in COMMANDS},
        help=cli.help,
        params=cli.params,
        context_settings=cli.context_settings,
    )
    assert eager.main(["--help"], prog_name="sfschema", standalone_mode=False) == 0
    assert capsys.readouterr().out == out


def test_validate_imports_what_it_uses_only() -> None:
    code, out, loaded = probe(
        "validate",
        "Task",
        "--snapshot",
        str(demo_org_dir()),
        "--create",
        "--values",
        '{"Subject": "Call", "Priority": "High"}',
    )
    payload = '{"Subject": "Call", "Priority": "High"}'
    assert (code, out) == (0, f"Task create: valid\npayload: {payload}\n")
    assert loaded == [
        "codegen",
        "jinja2",
        "pydantic",
        "sfschema.cli.validate",
        "sfschema.describe.models",
        "sfschema.schema",
        "sfschema.validate",
    ]


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["valdate"]) == 2
    assert capsys.readouterr() == (
        "",
        "Usage: sfschema [OPTIONS] COMMAND [ARGS]...\n"
        "Try 'sfschema --help' for help.\n"
        "\n"
        "Error: No such command 'valdate'. (Did you mean one of: 'update', 'validate'?)\n",
    )
