"""``sfschema soql check`` and ``sfschema soql format``: output and exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sfschema.cli import main
from tests.conftest import CLI


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_against_a_snapshot(capsys: pytest.CaptureFixture[str], cumulusci_dir: Path) -> None:
    code, out, err = run(
        capsys,
        "soql",
        "check",
        "SELECT Id, Nme, Owner.Name FROM Account WHERE Name = :n",
        "--snapshot",
        str(cumulusci_dir),
        "--param",
        "n=O'Brien",
    )
    assert (code, err) == (1, "")
    assert out == (
        "bound: SELECT Id, Nme, Owner.Name FROM Account WHERE Name = 'O\\'Brien'\n"
        "error INVALID_FIELD at 1:12: No such column 'Nme' on entity 'Account'. If you are "
        "attempting to use a custom field, be sure to append the '__c' after the custom field "
        "name. (did you mean 'Name'?)\n"
        "  SELECT Id, Nme, Owner.Name FROM Account WHERE Name = 'O\\'Brien'\n"
        "             ^\n"
        "  suggestion: Name\n"
        "warning NOT_CHECKED at 1:17: User not in snapshot; Owner.Name not checked\n"
        "  SELECT Id, Nme, Owner.Name FROM Account WHERE Name = 'O\\'Brien'\n"
        "                  ^\n"
        f"FAILED: 1 error(s), 1 warning(s), against {cumulusci_dir}\n"
    )


def test_warnings_alone_exit_zero(capsys: pytest.CaptureFixture[str], cumulusci_dir: Path) -> None:
    code, out, _ = run(
        capsys, "soql", "check", "SELECT Owner.Name FROM Account", "--snapshot", str(cumulusci_dir)
    )
    assert code == 0
    assert out.endswith(f"OK: 0 error(s), 1 warning(s), against {cumulusci_dir}\n")


def test_check_json(capsys: pytest.CaptureFixture[str], cumulusci_dir: Path) -> None:
    code, out, _ = run(
        capsys,
        "soql",
        "check",
        "SELECT Id FROM Lead WHERE CreatedDate > :d",
        "--snapshot",
        str(cumulusci_dir),
        "--param",
        "d=2024-01-01",
        "--json",
    )
    assert code == 1
    assert json.loads(out) == {
        "ok": False,
        "soql": "SELECT Id FROM Lead WHERE CreatedDate > 2024-01-01",
        "schema": str(cumulusci_dir),
        "placeholders": ["d"],
        "errors": 1,
        "warnings": 0,
        "diagnostics": [
            {
                "severity": "error",
                "code": "INVALID_FIELD",
                "message": "value of filter criterion for field 'CreatedDate' must be of type "
                "datetime and should not be enclosed in quotes (got date)",
                "pos": 40,
                "line": 1,
                "column": 41,
                "suggestion": None,
            }
        ],
    }


DEMO_NOTE = "sfschema: no SF_* credentials set; using the built-in demo org\n"
DEMO_ORG_ID = "00D00000000016QEAQ"


def test_check_against_the_demo_org(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "soql",
        "check",
        "SELECT Id, Name FROM Opportunity WHERE StageName = :stage AND CloseDate > :d",
        "--org",
        "demo",
        "--param",
        "stage=Closed Won",
        "--param",
        "d=LAST_N_DAYS:30",
    )
    assert (code, err) == (0, "")
    assert out == (
        "bound: SELECT Id, Name FROM Opportunity WHERE StageName = 'Closed Won' AND CloseDate > "
        "LAST_N_DAYS:30\n"
        "OK: 0 error(s), 0 warning(s), against the demo org\n"
    )


def test_without_flags_the_org_comes_from_the_environment_else_the_demo_org(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Like describe and validate: no SF_* credentials (tests clear them) means the demo org,
    said on stderr; the query is checked against it, not without a schema."""
    code, out, err = run(capsys, "soql", "check", "SELECT Id, Nme FROM Opportunity")
    assert (code, err) == (1, DEMO_NOTE)
    assert out == (
        "error INVALID_FIELD at 1:12: No such column 'Nme' on entity 'Opportunity'. If you are "
        "attempting to use a custom field, be sure to append the '__c' after the custom field "
        "name. (did you mean 'Name'?)\n"
        "  SELECT Id, Nme FROM Opportunity\n"
        "             ^\n"
        "  suggestion: Name\n"
        "FAILED: 1 error(s), 0 warning(s), against the demo org\n"
    )
    code, out, err = run(capsys, "soql", "check", "SELECT Id FROM Opportunity", "--json")
    assert (code, err) == (0, DEMO_NOTE)
    assert json.loads(out) == {
        "ok": True,
        "soql": "SELECT Id FROM Opportunity",
        "schema": "demo",
        "placeholders": [],
        "errors": 0,
        "warnings": 0,
        "diagnostics": [],
    }


def test_the_environment_org_is_named_by_its_id(
    served_demo: dict[str, Any], tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SF_")}
    env.update(
        SF_INSTANCE_URL=served_demo["instance_url"],
        SF_ACCESS_TOKEN=served_demo["access_token"],
        REQUESTS_CA_BUNDLE=served_demo["ca_bundle"],
        SFSCHEMA_CACHE_DIR=str(tmp_path / "cache"),
    )
    done = subprocess.run(
        [sys.executable, "-c", CLI, "soql", "check", "SELECT Id, Account.Nam FROM Contact"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout == (
        "error INVALID_FIELD at 1:12: No such column 'Nam' on entity 'Account'. If you are "
        "attempting to use a custom field, be sure to append the '__c' after the custom field "
        "name. (did you mean 'Name'?)\n"
        "  SELECT Id, Account.Nam FROM Contact\n"
        "             ^\n"
        "  suggestion: Name\n"
        f"FAILED: 1 error(s), 0 warning(s), against org {DEMO_ORG_ID}\n"
    )
    # Only the objects the query reaches were described (and cached).
    cached = sorted(p.name for p in (tmp_path / "cache").glob("*/*/*/*/sobjects/*.json"))
    assert cached == ["Account.json", "Contact.json"]


def test_unbound_placeholders_fail_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    text = "SELECT Id FROM Account WHERE Name = :n AND Id IN :ids"
    code, out, err = run(capsys, "soql", "check", text, "--org", "demo")
    assert (code, err) == (1, "")
    assert out == (
        "error MALFORMED_QUERY at 1:37: placeholder :n has no value, and Salesforce takes bind "
        "variables only in Apex; give --param n=VALUE\n"
        f"  {text}\n"
        "                                      ^\n"
        "  suggestion: --param n=VALUE\n"
        "error MALFORMED_QUERY at 1:50: placeholder :ids has no value, and Salesforce takes "
        "bind variables only in Apex; give --param ids=VALUE\n"
        f"  {text}\n"
        "                                                   ^\n"
        "  suggestion: --param ids=VALUE\n"
        "FAILED: 2 error(s), 0 warning(s), against the demo org\n"
    )
    # Bound in part: the rest of the query is checked, the position is in the bound text.
    code, out, err = run(capsys, "soql", "check", text, "--org", "demo", "--param", "n=A", "--json")
    assert (code, err) == (1, "")
    assert json.loads(out) == {
        "ok": False,
        "soql": "SELECT Id FROM Account WHERE Name = 'A' AND Id IN :ids",
        "schema": "demo",
        "placeholders": ["n", "ids"],
        "errors": 1,
        "warnings": 0,
        "diagnostics": [
            {
                "severity": "error",
                "code": "MALFORMED_QUERY",
                "message": "placeholder :ids has no value, and Salesforce takes bind variables "
                "only in Apex; give --param ids=VALUE",
                "pos": 50,
                "line": 1,
                "column": 51,
                "suggestion": "--param ids=VALUE",
            }
        ],
    }


def test_no_schema_is_explicit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "soql", "check", "SELECT Id, Nme FROM Acount WHERE X = :x", "--no-schema"
    )
    assert (code, err) == (1, "")
    assert out == (
        "error MALFORMED_QUERY at 1:38: placeholder :x has no value, and Salesforce takes bind "
        "variables only in Apex; give --param x=VALUE\n"
        "  SELECT Id, Nme FROM Acount WHERE X = :x\n"
        "                                       ^\n"
        "  suggestion: --param x=VALUE\n"
        "FAILED: 1 error(s), 0 warning(s), without a schema (--no-schema)\n"
    )
    code, out, err = run(capsys, "soql", "check", "SELECT Id FROM A", "--no-schema", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["schema"] is None
    for flag in (["--org", "demo"], ["--snapshot", "x"]):
        code, out, err = run(capsys, "soql", "check", "SELECT Id FROM A", "--no-schema", *flag)
        assert (code, out) == (2, "")
        assert err == (
            "Usage: sfschema soql check [OPTIONS] QUERY\n"
            "Try 'sfschema soql check --help' for help.\n\n"
            "Error: --no-schema checks against no org: drop --org and --snapshot\n"
        )


def test_syntax_error_is_a_failed_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "soql", "check", "SELECT Id FROM Account WHERE Name = 'a' OR")
    assert (code, err) == (1, "")  # nothing looked up, so no org chosen either
    assert out == (
        "error MALFORMED_QUERY at 1:43: unexpected end of query; expected '(', NOT, a name\n"
        "  SELECT Id FROM Account WHERE Name = 'a' OR\n"
        "                                            ^\n"
        "FAILED: 1 error(s), 0 warning(s), the query does not parse, so no schema was consulted\n"
    )


def test_fractional_seconds_are_refused_not_dropped(capsys: pytest.CaptureFixture[str]) -> None:
    text = "SELECT Id FROM Opportunity WHERE CreatedDate > 2024-01-01T01:01:01.5Z"
    code, out, err = run(capsys, "soql", "check", text, "--org", "demo")
    assert (code, err) == (1, "")
    assert out == (
        "error MALFORMED_QUERY at 1:48: datetime 2024-01-01T01:01:01.5Z has fractional seconds "
        "(.5), which SOQL datetimes cannot express; write whole seconds (e.g. "
        "2024-01-01T01:01:01Z)\n"
        f"  {text}\n"
        "                                                 ^\n"
        "FAILED: 1 error(s), 0 warning(s), the query does not parse, so no schema was consulted\n"
    )
    template = "SELECT Id FROM Opportunity WHERE CreatedDate > :d"
    code, out, err = run(
        capsys, "soql", "check", template, "--org", "demo", "--param", "d=2024-01-01T01:01:01.5Z"
    )
    assert (code, out) == (2, "")
    assert err == (
        "error: :d='2024-01-01T01:01:01.5Z' is not a valid value: datetime "
        "2024-01-01T01:01:01.5Z has fractional seconds (.5), which SOQL datetimes cannot "
        "express; write whole seconds (e.g. 2024-01-01T01:01:01Z)\n"
    )
    code, out, err = run(
        capsys, "soql", "check", template, "--org", "demo", "--param", "d=2024-01-01T01:01:01.000Z"
    )
    assert (code, err) == (0, "")
    assert out == (
        "bound: SELECT Id FROM Opportunity WHERE CreatedDate > 2024-01-01T01:01:01Z\n"
        "OK: 0 error(s), 0 warning(s), against the demo org\n"
    )


def test_numbers_in_exponent_form_are_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    template = "SELECT Id FROM Opportunity WHERE Amount > :s"
    code, out, err = run(capsys, "soql", "check", template, "--org", "demo", "--param", "s=1e-7")
    assert (code, err) == (0, "")
    assert out == (
        "bound: SELECT Id FROM Opportunity WHERE Amount > 0.0000001\n"
        "OK: 0 error(s), 0 warning(s), against the demo org\n"
    )
    code, out, err = run(capsys, "soql", "check", template, "--org", "demo", "--param", "s=1e-50")
    assert (code, out, err) == (
        2,
        "",
        "error: :s='1e-50' is not a valid value: number 1E-50 has more than 40 digits\n",
    )


def test_stdin_and_usage_errors(capsys: pytest.CaptureFixture[str], cumulusci_dir: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO("SELECT Id\nFROM Contact\nLIMIT 5\n"))
        code, out, err = run(capsys, "soql", "check", "-", "--snapshot", str(cumulusci_dir))
    assert (code, out, err) == (0, f"OK: 0 error(s), 0 warning(s), against {cumulusci_dir}\n", "")
    code, out, err = run(
        capsys, "soql", "check", "SELECT Id FROM A", "--org", "demo", "--snapshot", "x"
    )
    assert (code, out) == (2, "")
    assert err == (
        "Usage: sfschema soql check [OPTIONS] QUERY\n"
        "Try 'sfschema soql check --help' for help.\n\n"
        "Error: give --org or --snapshot, not both\n"
    )
    code, out, err = run(capsys, "soql", "check", "SELECT Id FROM A", "--param", "novalue")
    assert (code, out) == (2, "")
    assert err == (
        "Usage: sfschema soql check [OPTIONS] QUERY\n"
        "Try 'sfschema soql check --help' for help.\n\n"
        "Error: Invalid value for --param: 'novalue': write NAME=VALUE\n"
    )
    # Refused before an org is chosen (no demo note) or asked for anything.
    code, out, err = run(capsys, "soql", "check", "SELECT Id FROM A WHERE X = :x", "--param", "y=1")
    assert (code, out, err) == (2, "", "error: unused parameter(s) y; the query uses :x\n")
    code, out, err = run(capsys, "soql", "check", "SELECT Id FROM A", "--org", "prod")
    assert (code, out) == (2, "")
    assert err == "error: unknown --org 'prod': use 'demo' or set SF_* environment variables\n"


def test_format(capsys: pytest.CaptureFixture[str]) -> None:
    text = "select id, name from account where name = 'x' and (id = '1' or id = '2') limit 5"
    code, out, _ = run(capsys, "soql", "format", text)
    assert (code, out) == (
        0,
        "SELECT id, name\nFROM account\nWHERE name = 'x' AND (id = '1' OR id = '2')\nLIMIT 5\n",
    )
    code, out, _ = run(capsys, "soql", "format", "--oneline", "select id from account limit 5")
    assert (code, out) == (0, "SELECT id FROM account LIMIT 5\n")
    code, out, err = run(capsys, "soql", "format", "select id from")
    assert (code, out, err) == (
        2,
        "",
        "error: unexpected end of query; expected a name (at line 1, column 15)\n",
    )


def test_a_quoted_list_item_keeps_its_commas(capsys: pytest.CaptureFixture[str]) -> None:
    text = "SELECT Id FROM Account WHERE Name IN :names"
    code, out, err = run(
        capsys, "soql", "check", text, "--org", "demo", "--param", "names='a,b', c", "--json"
    )
    assert (code, err) == (0, "")
    assert json.loads(out)["soql"] == "SELECT Id FROM Account WHERE Name IN ('a,b', 'c')"


def test_an_unclosed_quote_in_a_list_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    text = "SELECT Id FROM Account WHERE Name IN :names"
    code, out, err = run(capsys, "soql", "check", text, "--org", "demo", "--param", "names='a,b")
    assert (code, out) == (2, "")
    assert err == ("error: :names=\"'a,b\": a quote is not closed; write 'a,b' or \\' inside\n")
