"""User mistakes around describe, snapshots and credentials: one clear line, never a traceback."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from sfschema.cli import main
from sfschema.client.session import connect_env
from sfschema.demo import demo_org_dir
from sfschema.errors import DescribeError, SfschemaError
from sfschema.schema import OrgSchema
from tests.conftest import REAL

OPPORTUNITY = REAL / "describe" / "cumulusci" / "Opportunity.json"


def test_pull_into_a_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert main(["pull", "--org", "demo", "--objects", "Account", "--out", str(blocker)]) == 2
    assert capsys.readouterr().err == f"error: {blocker}: cannot write (not a directory)\n"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SF_INSTANCE_URL": "https://x.my.salesforce.com"}, "SF_INSTANCE_URL is set but "
         "SF_ACCESS_TOKEN is not; set both (or neither)"),
        ({"SF_ACCESS_TOKEN": "00D!x"}, "SF_ACCESS_TOKEN is set but SF_INSTANCE_URL is not; "
         "set both (or neither)"),
        ({"SF_USERNAME": "a@b.c"}, "SF_USERNAME is set but SF_PASSWORD is not; set both "
         "(or neither)"),
        ({"SF_PASSWORD": "pw"}, "SF_PASSWORD is set but SF_USERNAME is not; set both (or neither)"),
    ],
)  # fmt: skip
def test_half_set_credentials_never_fall_back_to_the_demo_org(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(SfschemaError) as excinfo:
        connect_env(env)
    assert str(excinfo.value) == message
    assert connect_env({}) is None


def test_unreachable_instance_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("SF_INSTANCE_URL", f"https://127.0.0.1:{port}")
    monkeypatch.setenv("SF_ACCESS_TOKEN", "00D000000000000!token")
    assert main(["describe", "Account"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot reach https://127.0.0.1:{port}: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "no picklistFieldValues object in the UI API payload"),
        ({"picklistFieldValues": {"StageName": {"values": "x"}}},
         "picklist StageName has no values list"),
        ({"picklistFieldValues": {"StageName": {"values": [{"label": "A"}]}}},
         "picklist StageName value #0 has no string 'value': {'label': 'A'}"),
        ({"picklistFieldValues": {"StageName": {"values": ["A"]}}},
         "picklist StageName value #0 has no string 'value': 'A'"),
    ],
)  # fmt: skip
def test_bad_record_type_picklist_file_is_a_describe_error(
    tmp_path: Path, make_snapshot: Callable[..., Path], payload: object, message: str
) -> None:
    root = make_snapshot(OPPORTUNITY)
    folder = root / "picklists" / "Opportunity"
    folder.mkdir(parents=True)
    (folder / "012000000000000AAA.json").write_text(json.dumps(payload))
    schema = OrgSchema.from_snapshot(root)
    with pytest.raises(DescribeError) as excinfo:
        schema.record_type_picklists("Opportunity")
    assert str(excinfo.value) == f"{root}: picklists/Opportunity/012000000000000AAA: {message}"


def test_bad_picklist_file_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "org"
    shutil.copytree(demo_org_dir(), root)
    bad = next((root / "picklists" / "Opportunity").glob("*.json"))
    bad.write_text("[]")
    args = ["validate", "Opportunity", "--snapshot", str(root), "--create"]
    code = main([*args, "--values", '{"Name": "x"}', "--record-type", "Renewal"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.endswith("no picklistFieldValues object in the UI API payload\n")


FIX = "use https://<host>[:port], e.g. https://yourorg.my.salesforce.com"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://127.0.0.1:99999", "SF_INSTANCE_URL 'https://127.0.0.1:99999' is not a valid "
         f"URL (Port out of range 0-65535); {FIX}"),
        ("https://[::1", f"SF_INSTANCE_URL 'https://[::1' is not a valid URL (Invalid IPv6 URL); "
         f"{FIX}"),
        ("127.0.0.1:1", f"SF_INSTANCE_URL '127.0.0.1:1' is not an https:// URL; {FIX}"),
        ("ftp://x.example", f"SF_INSTANCE_URL 'ftp://x.example' is not an https:// URL; {FIX}"),
        ("http://x.example", "SF_INSTANCE_URL 'http://x.example': Salesforce is served over "
         f"https only; {FIX}"),
        ("https://", f"SF_INSTANCE_URL 'https://' has no valid host name or IPv4; {FIX}"),
        ("https://a b.example", "SF_INSTANCE_URL 'https://a b.example' has no valid host name "
         f"or IPv4; {FIX}"),
        ("https://[::1]:8443", "SF_INSTANCE_URL 'https://[::1]:8443' has no valid host name or "
         f"IPv4; {FIX}"),
        ("https://u:p@x.example", "SF_INSTANCE_URL 'https://u:p@x.example' has no valid host "
         f"name or IPv4; {FIX}"),
        ("https://127.0.0.1:0", f"SF_INSTANCE_URL 'https://127.0.0.1:0': port must be 1-65535; "
         f"{FIX}"),
    ],
)  # fmt: skip
def test_a_bad_instance_url_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, message: str
) -> None:
    monkeypatch.setenv("SF_INSTANCE_URL", url)
    monkeypatch.setenv("SF_ACCESS_TOKEN", "00D000000000000!token")
    assert main(["pull", "--objects", "Account", "--out", "unused"]) == 2
    assert capsys.readouterr().err == f"error: {message}\n"
