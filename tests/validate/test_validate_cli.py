"""``sfschema validate``: exit codes, the readable report, --json, @file, and one-line errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sfschema.cli import main
from sfschema.demo import demo_org_dir
from sfschema.ids import make_id

OPP = make_id("006", 1)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def snapshot() -> list[str]:
    return ["--snapshot", str(demo_org_dir())]


def test_valid_update_exits_0_and_prints_the_payload(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "Opportunity",
        "--id",
        OPP[:15],
        "--values",
        '{"StageName": "Closed Won", "Amount": 12.5}',
        *snapshot(),
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Opportunity update {OPP}: valid",
        'payload: {"StageName": "Closed Won", "Amount": 12.5}',
    ]


def test_numbers_keep_every_digit_they_were_written_with(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--values reads numbers as Decimal: the digits a float cannot carry are a warning, not
    silently lost before validation."""
    values = '{"Amount": 1234567890123456.78}'
    code, out, err = run(capsys, "Opportunity", "--id", OPP, "--values", values, *snapshot())
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Opportunity update {OPP}: 0 errors, 1 warning",
        "warning Amount: PRECISION_LOSS: Amount: 1234567890123456.78 has more digits than a "
        "JSON number carries; it would be sent as 1234567890123456.8",
        "    → did you mean '1234567890123456.8'? round to 17 significant digits "
        "(1234567890123456.8) or send a string via your own client",
        'payload: {"Amount": 1234567890123456.8}',
    ]
    code, out, err = run(
        capsys, "Opportunity", "--id", OPP, "--values", values, "--json", *snapshot()
    )
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "object": "Opportunity",
        "operation": "update",
        "record_id": OPP,
        "record_type_id": None,
        "ok": True,
        "payload": {"Amount": 1234567890123456.8},
        "errors": [],
        "warnings": [
            {
                "field": "Amount",
                "code": "PRECISION_LOSS",
                "message": "Amount: 1234567890123456.78 has more digits than a JSON number "
                "carries; it would be sent as 1234567890123456.8",
                "value": "1234567890123456.78",
                "suggestion": "1234567890123456.8",
                "hint": "round to 17 significant digits (1234567890123456.8) or send a string "
                "via your own client",
            }
        ],
    }


def test_invalid_values_exit_1_with_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "Opportunity",
        "--id",
        OPP,
        "--values",
        '{"StageName": "closed won", "ForecastCategoryName": "commit"}',
        "--strict",
        *snapshot(),
    )
    assert (code, err) == (1, "")
    stages = (
        "'Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', "
        "'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', "
        "'Negotiation/Review', 'Closed Won', 'Closed Lost'"
    )
    assert out.splitlines() == [
        f"Opportunity update {OPP}: 2 errors, 0 warnings",
        "error   StageName: UNKNOWN_PICKLIST_VALUE: Stage: value not in the picklist's known "
        "values: closed won",
        f"    → did you mean 'Closed Won'? allowed values: {stages}",
        "error   ForecastCategoryName: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Forecast "
        "Category: bad value for restricted picklist field: commit",
        "    → did you mean 'Commit'? allowed values: 'Omitted', 'Pipeline', 'Best Case', "
        "'Commit', 'Closed'",
    ]


def test_create_from_a_file_with_a_record_type_as_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    values = tmp_path / "values.json"
    values.write_text(
        json.dumps(
            {"Name": "Big deal", "StageName": "Perception Analysis", "CloseDate": "2024-03-01"}
        )
    )
    code, out, err = run(
        capsys,
        "Opportunity",
        "--create",
        "--values",
        f"@{values}",
        "--record-type",
        "New Business",
        "--json",
        *snapshot(),
    )
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["ok"] is True and report["errors"] == []
    assert report["payload"] == {
        "Name": "Big deal",
        "StageName": "Perception Analysis",
        "CloseDate": "2024-03-01",
        "RecordTypeId": "0120000000001IfAAI",
    }
    assert [w["code"] for w in report["warnings"]] == ["PICKLIST_VALUE_NOT_IN_RECORD_TYPE"]


def test_values_from_stdin_and_the_demo_org(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"WhatId": "003000000000007AAA"}'))
    code, out, _ = run(capsys, "Task", "--create", "--values", "@-", "--org", "demo", "--json")
    assert code == 1
    assert [(e["field"], e["code"]) for e in json.loads(out)["errors"]] == [
        ("WhatId", "FIELD_INTEGRITY_EXCEPTION")
    ]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            '{"Name": ',
            "error: --values: the inline JSON is not valid JSON: Expecting value at line 1 column "
            '10 (expected an object such as \'{"Name": "Acme"}\')',
        ),
        (
            "@/nonexistent/values.json",
            "error: --values: cannot read /nonexistent/values.json: No such file or directory",
        ),
    ],
)
def test_bad_values_are_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], values: str, message: str
) -> None:
    code, out, err = run(capsys, "Opportunity", "--create", "--values", values, *snapshot())
    assert (code, out) == (2, "")
    assert err.splitlines() == [message]


def test_id_or_create_exactly_one(capsys: pytest.CaptureFixture[str]) -> None:
    for extra in ([], ["--create", "--id", OPP]):
        code, out, err = run(capsys, "Opportunity", *extra, "--values", "{}", *snapshot())
        assert code == 2 and out == ""
        assert "give --id ID (update) or --create, exactly one of them" in err


def test_unknown_object_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "Opportunty", "--create", "--values", "{}", *snapshot())
    assert (code, out) == (2, "")
    assert err.startswith("error: sObject type 'Opportunty' is not in ")
    assert err.rstrip().endswith("(did you mean 'Opportunity'?)")
