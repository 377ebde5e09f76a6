"""``sfschema query``, ``create|update|upsert|delete`` and ``status`` against the demo org."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sfschema.cli import main
from sfschema.client.session import connect_emulator
from sfschema.emulator import Emulator


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


QUERY = "SELECT LastName, Account.Name FROM Contact ORDER BY LastName"


def test_query_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "query", QUERY, "--org", "demo") == (
        0,
        "LastName  Account.Name\n"
        "--------  ----------------\n"
        "Hopper    Globex GmbH\n"
        "Lovelace  Acme Corporation\n"
        "Turing    Initech Pty Ltd\n",
        "3 row(s), 1 page(s), 1 API call(s)\n",
    )


def test_query_as_csv_with_parent_paths(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", QUERY, "--org", "demo", "--format", "csv")
    assert (code, out) == (
        0,
        "LastName,Account.Name\nHopper,Globex GmbH\nLovelace,Acme Corporation\n"
        "Turing,Initech Pty Ltd\n",
    )


def test_query_as_json_and_jsonl(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", QUERY, "--org", "demo", "--format", "json")
    rows = [
        {"LastName": "Hopper", "Account": {"Name": "Globex GmbH"}},
        {"LastName": "Lovelace", "Account": {"Name": "Acme Corporation"}},
        {"LastName": "Turing", "Account": {"Name": "Initech Pty Ltd"}},
    ]
    assert (code, json.loads(out)) == (0, rows)
    code, out, _ = run(capsys, "query", QUERY, "--org", "demo", "--format", "jsonl")
    assert (code, [json.loads(line) for line in out.splitlines()]) == (0, rows)


def test_query_with_params_and_max_records(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(
        capsys,
        "query",
        "SELECT LastName FROM Contact WHERE LastName != :name ORDER BY LastName",
        "--param",
        "name=Hopper",
        "--max-records",
        "1",
        "--org",
        "demo",
        "--format",
        "jsonl",
    ) == (
        0,
        '{"LastName": "Lovelace"}\n',
        "1 row(s), 1 page(s), 1 API call(s); stopped at --max-records 1 of 2\n",
    )


def test_a_query_that_would_fail_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "query", "SELECT Nmae FROM Account", "--org", "demo")
    assert (code, out) == (2, "")
    assert err.startswith("error: 1 problem(s) in the query: error INVALID_FIELD No such column")
    assert err.count("\n") == 1


def test_bad_batch_size_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "query", "SELECT Id FROM Task", "--batch-size", "5", "--org", "demo") == (
        2,
        "",
        "error: batch_size=5: Salesforce takes 200 to 2000 rows a page "
        "(Sforce-Query-Options: batchSize); give a number in that range\n",
    )


def test_create_one_record(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(
        capsys, "create", "Task", "--org", "demo", "--values", '{"Subject": "Call back"}'
    ) == (
        0,
        "row 1: 00T000000000003EAA\n",
        "create Task: 1 succeeded, 0 rejected before sending, 0 failed at Salesforce, "
        "0 unknown, 3 API call(s)\n",
    )


def test_update_one_invalid_record_sends_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "update",
        "Opportunity",
        "--org",
        "demo",
        "--id",
        "006000000000001",
        "--values",
        '{"ForecastCategoryName": "best case"}',
    )
    assert (code, out) == (
        1,
        "row 1: rejected\n"
        "  ForecastCategoryName: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Forecast Category: "
        "bad value for restricted picklist field: best case\n"
        "      → did you mean 'Best Case'? allowed values: 'Omitted', 'Pipeline', 'Best Case', "
        "'Commit', 'Closed'\n",
    )
    assert err == (
        "update Opportunity: 0 succeeded, 1 rejected before sending, 0 failed at Salesforce, "
        "0 unknown, 2 API call(s)\n"
    )


def test_a_csv_file_with_valid_invalid_and_failing_rows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = tmp_path / "tasks.csv"
    rows.write_text(
        "Subject,Priority,WhatId,ActivityDate\n"
        "First,High,,\n"
        "Second,,006000000000099,\n"  # no such Opportunity: only Salesforce can tell
        "Third,Low,,31/01/2025\n",
        encoding="utf-8",
    )
    assert run(capsys, "create", "Task", "--org", "demo", "--file", str(rows)) == (
        1,
        "row 2: failed\n"
        "  INVALID_CROSS_REFERENCE_KEY [WhatId]: invalid cross reference id\n"
        "row 3: rejected\n"
        "  ActivityDate: INVALID_TYPE_ON_FIELD_IN_RECORD: Due Date Only: value not of required "
        "type: 31/01/2025\n"
        "      → send a date as YYYY-MM-DD (or a date object)\n",
        "create Task: 1 succeeded, 1 rejected before sending, 1 failed at Salesforce, 0 unknown, "
        "3 API call(s)\n",
    )
    code, out, _ = run(capsys, "create", "Task", "--org", "demo", "--file", str(rows), "--json")
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [(r["index"], r["outcome"], r["id"]) for r in results] == [
        (0, "succeeded", "00T000000000003EAA"),
        (1, "failed", None),
        (2, "rejected", None),
    ]
    assert results[1]["errors"] == [
        {
            "statusCode": "INVALID_CROSS_REFERENCE_KEY",
            "message": "invalid cross reference id",
            "fields": ["WhatId"],
        }
    ]
    assert [e["code"] for e in results[2]["report"]["errors"]] == [
        "INVALID_TYPE_ON_FIELD_IN_RECORD"
    ]


def test_bad_files_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "rows.jsonl"
    broken.write_text('{"Subject": "a"}\n[1, 2]\n', encoding="utf-8")
    assert run(capsys, "create", "Task", "--org", "demo", "--file", str(broken)) == (
        2,
        "",
        f"error: {broken} line 2: expected a JSON object, got list\n",
    )
    text = tmp_path / "rows.txt"
    text.write_text("x", encoding="utf-8")
    assert run(capsys, "create", "Task", "--org", "demo", "--file", str(text)) == (
        2,
        "",
        f"error: --file {text}: give a .jsonl or .csv file (one record a row)\n",
    )
    code, _, err = run(capsys, "create", "Task", "--org", "demo")
    assert code == 2 and "create one record (--values JSON) or a file of them" in err


def test_dry_run_sends_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = tmp_path / "ids.jsonl"
    rows.write_text('{"Id": "00T000000000001EAA"}\n{"Id": "nope"}\n', encoding="utf-8")
    code, out, err = run(
        capsys, "delete", "Task", "--org", "demo", "--file", str(rows), "--dry-run"
    )
    assert (code, err) == (1, "delete Task (dry run, nothing sent): 1 valid, 1 rejected\n")
    assert out.startswith("row 2: rejected\n  Id: MALFORMED_ID: Task ID: id value of incorrect")


def test_status(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "status", "--org", "demo", "--json")
    status = json.loads(out)
    assert (code, err) == (0, "")
    assert {k: v for k, v in status.items() if k != "describe_cache"} == {
        "user": "demo@sfschema.example",
        "user_id": "0050000000000G9AAI",
        "org_id": "00D00000000016QEAQ",
        "instance_url": "https://demo.my.salesforce.com",
        "sandbox": False,
        "api_version": "59.0",
        "api_usage": {"used": 1, "max": 15000},
    }
    assert status["describe_cache"]["objects"] == 0


def test_a_refused_session_is_one_line_naming_the_fix(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu = Emulator.demo()
    connection = connect_emulator(emu)  # as SF_INSTANCE_URL + SF_ACCESS_TOKEN would give
    emu.expire_tokens()
    monkeypatch.setattr("sfschema.client.core.connect_env", lambda environ=None: connection)
    code, out, err = run(capsys, "status", "--org", "env")
    assert (code, out) == (2, "")
    assert err == (
        "error: INVALID_SESSION_ID: https://demo.my.salesforce.com refused the session (403): "
        "set a valid SF_ACCESS_TOKEN, or log in with SF_USERNAME/SF_PASSWORD\n"
    )


def test_status_of_an_org_served_over_https_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sfschema.emulator.serve import serve

    emu = Emulator.demo()
    served = serve(emu)
    served.start_in_thread()
    try:
        for name in ("SF_USERNAME", "SF_PASSWORD", "SF_REFRESH_TOKEN", "SF_CLIENT_ID"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("SF_INSTANCE_URL", served.instance_url)
        monkeypatch.setenv("SF_ACCESS_TOKEN", emu.access_token)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(served.ca_bundle))
        code, out, err = run(capsys, "status", "--json")
    finally:
        served.close()
    status = json.loads(out)
    assert (code, err) == (0, "")
    assert (status["org_id"], status["instance_url"], status["api_usage"]) == (
        emu.org_id,
        served.instance_url,
        {"used": 1, "max": 15000},
    )
