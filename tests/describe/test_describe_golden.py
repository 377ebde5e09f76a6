"""`sfschema describe` output, whole: the table and the --json form (golden files)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sfschema.cli import main
from sfschema.demo import demo_org_dir

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "describe"
UPDATE = os.environ.get("SFSCHEMA_UPDATE_GOLDEN") == "1"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"refresh with SFSCHEMA_UPDATE_GOLDEN=1: {path}"
    )


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        (["Invoice__c"], "invoice__c.txt"),
        (["Opportunity", "--field", "StageName"], "opportunity-stagename.txt"),
        (["Task", "--field", "whatid"], "task-whatid.txt"),
    ],
)
def test_describe_table(args: list[str], golden: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", *args, "--snapshot", str(demo_org_dir())]) == 0
    check_golden(golden, capsys.readouterr().out)


def test_describe_json_is_the_raw_payload(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", "Invoice__c", "--snapshot", str(demo_org_dir()), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    shipped = json.loads((demo_org_dir() / "sobjects" / "Invoice__c.json").read_text())
    assert shown == shipped
    assert main(["describe", "Invoice__c", "--snapshot", str(demo_org_dir()), "--json",
                 "--field", "Total__c"]) == 0  # fmt: skip
    total = json.loads(capsys.readouterr().out)
    assert total == next(f for f in shipped["fields"] if f["name"] == "Total__c")
    assert total["calculated"] is True and total["calculatedFormula"]
