"""``sfschema soql check`` and ``sfschema soql format``: output and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sfschema.cli import main


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


def test_check_against_the_demo_org(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
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
    assert code == 0
    assert out.splitlines()[0] == (
        "bound: SELECT Id, Name FROM Opportunity WHERE StageName = 'Closed Won' AND CloseDate > "
        "LAST_N_DAYS:30"
    )
    assert out.splitlines()[-1].startswith("OK: 0 error(s), 0 warning(s), against ")


def test_template_without_values_and_without_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "soql", "check", "SELECT Id FROM Account WHERE Name = :n")
    assert code == 0
    assert out == (
        "placeholders not bound: :n\n"
        "OK: 0 error(s), 0 warning(s), without a schema (give --snapshot or --org)\n"
    )


def test_syntax_error_is_a_failed_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "soql", "check", "SELECT Id FROM Account WHERE Name = 'a' OR")
    assert code == 1
    assert out == (
        "error MALFORMED_QUERY at 1:43: unexpected end of query; expected '(', NOT, a name\n"
        "  SELECT Id FROM Account WHERE Name = 'a' OR\n"
        "                                            ^\n"
        "FAILED: 1 error(s), 0 warning(s), without a schema (give --snapshot or --org)\n"
    )


def test_stdin_and_usage_errors(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, cumulusci_dir: Path
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT Id\nFROM Contact\nLIMIT 5\n"))
    code, out, _ = run(capsys, "soql", "check", "-")
    assert (code, out) == (
        0,
        "OK: 0 error(s), 0 warning(s), without a schema (give --snapshot or --org)\n",
    )
    code, _, err = run(
        capsys, "soql", "check", "SELECT Id FROM A", "--org", "demo", "--snapshot", "x"
    )
    assert code == 2 and "give --org or --snapshot, not both" in err
    code, _, err = run(capsys, "soql", "check", "SELECT Id FROM A", "--param", "novalue")
    assert code == 2 and "'novalue': write NAME=VALUE" in err
    code, _, err = run(capsys, "soql", "check", "SELECT Id FROM A WHERE X = :x", "--param", "y=1")
    assert (code, err) == (2, "error: no value for :x (pass x=...)\n")


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
