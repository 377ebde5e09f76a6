"""``sfschema generate``: writes a package; --check prints a diff; mistakes are one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.output import MARKER
from sfschema.cli import main
from tests.support.codegen_helpers import real_snapshot


def test_generate_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snapshot = real_snapshot(tmp_path, "cumulusci")
    out = tmp_path / "out" / "acme"
    assert main(["generate", "--snapshot", str(snapshot), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"{out}: 9 file(s) written or removed, 9 in the package\n"
    assert sorted(p.name for p in out.iterdir()) == [
        "__init__.py",
        "account.py",
        "case.py",
        "contact.py",
        "custom__c.py",
        "event.py",
        "lead.py",
        "opportunity.py",
        "opportunitycontactrole.py",
    ]
    assert "Org: acme; API version: 48.0" in (out / "account.py").read_text()

    assert main(["generate", "--snapshot", str(snapshot), "--out", str(out), "--check"]) == 0
    assert capsys.readouterr().out == f"{out}: up to date (9 files)\n"

    before = (out / "lead.py").read_text()
    (out / "lead.py").write_text(before.replace("class LeadUpdate", "class LeadUpdated"))
    (out / "case.py").unlink()
    (out / "notes.py").write_text("# my own module, not generated\n")
    (out / "old__c.py").write_text(f'"""Old__c: pydantic models {MARKER}\n"""\n')
    assert main(["generate", "--snapshot", str(snapshot), "--out", str(out), "--check"]) == 1
    captured = capsys.readouterr()
    assert "--- a/lead.py\n+++ b/lead.py\n" in captured.out
    assert (
        "-class LeadUpdated(sf.RecordUpdate):\n+class LeadUpdate(sf.RecordUpdate):\n"
        in captured.out
    )
    assert "+++ b/case.py" in captured.out and "--- a/old__c.py" in captured.out
    assert "notes.py" not in captured.out
    assert captured.err == f"{out}: 3 file(s) out of date; run without --check to regenerate\n"
    assert (out / "lead.py").read_text() != before  # --check wrote nothing

    assert main(["generate", "--snapshot", str(snapshot), "--out", str(out)]) == 0
    assert (out / "lead.py").read_text() == before
    assert not (out / "old__c.py").exists() and (out / "notes.py").exists()


def test_generate_some_objects(tmp_path: Path) -> None:
    snapshot = real_snapshot(tmp_path, "cumulusci")
    out = tmp_path / "some"
    args = ["generate", "--snapshot", str(snapshot), "--out", str(out), "--objects", "lead,Case"]
    assert main(args) == 0
    assert sorted(p.name for p in out.iterdir()) == ["__init__.py", "case.py", "lead.py"]


def test_objects_are_added_to_what_is_already_generated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--objects regenerates the named modules and the package __init__; the other generated
    modules stay as they are (and listed) while the snapshot has their object."""
    snapshot = real_snapshot(tmp_path, "cumulusci")
    out = tmp_path / "acme"
    base = ["generate", "--snapshot", str(snapshot), "--out", str(out)]
    assert main([*base, "--objects", "Lead"]) == 0
    lead = (out / "lead.py").read_text() + "# kept as it is\n"
    (out / "lead.py").write_text(lead)
    (out / "gone__c.py").write_text(f'"""Gone__c: pydantic models {MARKER}\n"""\n')
    capsys.readouterr()
    assert main([*base, "--objects", "case"]) == 0
    assert capsys.readouterr().out == f"{out}: 3 file(s) written or removed, 3 in the package\n"
    assert sorted(p.name for p in out.iterdir()) == ["__init__.py", "case.py", "lead.py"]
    assert (out / "lead.py").read_text() == lead
    # the __init__ is the one a run over both objects writes
    both = tmp_path / "both" / "acme"
    assert (
        main(
            ["generate", "--snapshot", str(snapshot), "--out", str(both), "--objects", "Case,Lead"]
        )
        == 0
    )
    assert (out / "__init__.py").read_text() == (both / "__init__.py").read_text()
    assert (out / "case.py").read_text() == (both / "case.py").read_text()
    capsys.readouterr()
    assert main([*base, "--objects", "Case", "--check"]) == 0
    assert capsys.readouterr().out == f"{out}: up to date (3 files)\n"
    # without --objects the package is regenerated whole: lead.py is rewritten
    assert main(base) == 0
    assert (out / "lead.py").read_text() == lead.removesuffix("# kept as it is\n")
    assert len(list(out.glob("*.py"))) == 9


def test_an_out_path_that_cannot_be_a_package_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = str(real_snapshot(tmp_path, "cumulusci"))
    a_file = tmp_path / "models.py"
    a_file.write_text("")
    for args in ([], ["--check"], ["--objects", "Lead"]):
        assert main(["generate", "--snapshot", snapshot, "--out", str(a_file), *args]) == 2
        assert capsys.readouterr() == (
            "",
            f"error: --out {a_file}: not a directory; give a package directory to write\n",
        )
    below = a_file / "acme"
    assert main(["generate", "--snapshot", snapshot, "--out", str(below)]) == 2
    assert capsys.readouterr() == (
        "",
        f"error: --out {below}: cannot write {below} (Not a directory)\n",
    )


def test_user_mistakes_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snapshot = real_snapshot(tmp_path, "cumulusci")
    out = str(tmp_path / "x")
    assert main(["generate", "--snapshot", str(snapshot), "--out", out, "--objects", "Leed"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: sObject type 'Leed' is not in ") and "Lead" in err
    assert err.count("\n") == 1
    assert main(["generate", "--snapshot", str(tmp_path / "nope"), "--out", out]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'nope'}: snapshot directory not found\n"
