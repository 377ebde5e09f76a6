"""Hostile or broken input gets Salesforce's JSON error array, in bounded memory (issue 9)."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder, run_wsgi_app

from sfschema.cli import main
from sfschema.demo import demo_org_dir
from sfschema.emulator import Emulator, EmulatorSettings
from sfschema.emulator.serve import serve
from sfschema.errors import SnapshotError
from tests.emulator.conftest import bearer

V = "/services/data/v59.0"
SOAP_ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?><env:Envelope '
    'xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>'
    '<n1:login xmlns:n1="urn:partner.soap.sforce.com"><n1:username>u</n1:username>'
    "<n1:password>p</n1:password></n1:login></env:Body></env:Envelope>"
)


def post(emu: Emulator, path: str, body: bytes, **headers: str) -> tuple[int, Any]:
    reply = emu.session().post(
        emu.instance_url + path,
        data=body,
        headers={**bearer(emu.access_token), "Content-Type": "application/json", **headers},
    )
    return reply.status_code, reply.json()


# -- tokens only in the Authorization header --------------------------------------------------


@pytest.mark.parametrize("path", [f"{V}/sobjects/Account/describe", "/services/oauth2/userinfo"])
def test_a_token_in_the_query_string_is_refused(sf_emulator: Emulator, path: str) -> None:
    token = sf_emulator.access_token
    reply = sf_emulator.session().get(
        f"{sf_emulator.instance_url}{path}?oauth_token={token}", headers=bearer(token)
    )
    assert (reply.status_code, reply.json()) == (
        401,
        [
            {
                "message": "Session expired or invalid: send the access token in the "
                "Authorization header, never in the URL",
                "errorCode": "INVALID_SESSION_ID",
            }
        ],
    )
    assert sf_emulator.api_calls == 0


# -- request body cap ------------------------------------------------------------------------

TOO_LARGE = [
    {
        "message": "The request body is larger than the 1000-byte limit",
        "errorCode": "REQUEST_ENTITY_TOO_LARGE",
    }
]


@pytest.mark.parametrize("path", [f"{V}/composite", "/services/Soap/u/59.0"])
def test_a_body_over_the_cap_is_413(path: str) -> None:
    emu = Emulator.demo(settings=EmulatorSettings(max_request_body_bytes=1000))
    assert post(emu, path, b" " * 1001) == (413, TOO_LARGE)
    assert emu.api_calls == 0


def test_a_body_at_the_cap_is_read() -> None:
    emu = Emulator.demo(settings=EmulatorSettings(max_request_body_bytes=1000))
    body = json.dumps({"compositeRequest": []}).encode().ljust(1000)
    assert post(emu, f"{V}/composite", body) == (200, {"compositeResponse": []})


class CountingStream(io.RawIOBase):
    """An endless request body that counts the bytes the server reads from it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = len(buffer)
        buffer[:size] = b"x" * size
        self.read_bytes += size
        return size


@pytest.mark.parametrize("declared", ["200000000", None])
def test_the_cap_bounds_what_is_read(declared: str | None) -> None:
    """Content-Length over the cap: nothing is read; no Content-Length: at most the cap + 1."""
    emu = Emulator.demo(settings=EmulatorSettings(max_request_body_bytes=1000))
    environ = EnvironBuilder(
        path="/services/Soap/u/59.0", base_url=emu.instance_url, method="POST"
    ).get_environ()
    stream = CountingStream()
    environ["wsgi.input"] = stream
    if declared is None:
        environ.pop("CONTENT_LENGTH", None)
        environ["wsgi.input_terminated"] = True
    else:
        environ["CONTENT_LENGTH"] = declared
    app_iter, status, _ = run_wsgi_app(emu.wsgi_app, environ, buffered=True)
    assert (status, json.loads(b"".join(app_iter))) == ("413 Request Entity Too Large", TOO_LARGE)
    assert stream.read_bytes <= (0 if declared else 1001)


# -- hostile bodies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "Invalid JSON in request body: nested too deeply"),
        (
            b'{"compositeRequest": [], "n": ' + b"9" * 5000 + b"}",
            "Invalid JSON in request body: a number has too many digits",
        ),
        (b'{"compositeRequest": \xff}', "Invalid JSON in request body: not UTF-8"),
    ],
)
def test_hostile_json_is_a_parser_error(sf_emulator: Emulator, body: bytes, message: str) -> None:
    assert post(sf_emulator, f"{V}/composite", body) == (
        400,
        [{"message": message, "errorCode": "JSON_PARSER_ERROR"}],
    )


@pytest.mark.parametrize("version", ["inf", "nan", "1e999", "59.0.1", "٥٩.0"])
def test_soap_login_at_a_version_that_is_not_one(sf_emulator: Emulator, version: str) -> None:
    reply = sf_emulator.session().post(
        f"https://login.salesforce.com/services/Soap/u/{version}",
        data=SOAP_ENVELOPE,
        headers={"Content-Type": "text/xml", "SOAPAction": "login"},
    )
    assert reply.status_code == 500
    assert reply.headers["Content-Type"] == "text/xml;charset=UTF-8"
    assert f"<sf:exceptionCode>UNSUPPORTED_API_VERSION</sf:exceptionCode><sf:exceptionMessage>" \
        f"Unsupported API version: {version}</sf:exceptionMessage>" in reply.text  # fmt: skip


# -- broken snapshots and the emulator's own faults --------------------------------------------


@pytest.fixture
def broken_snapshot(tmp_path: Path) -> Path:
    root = tmp_path / "org"
    shutil.copytree(demo_org_dir(), root)
    (root / "sobjects" / "Case.json").write_text('{"name": "Case", "fields": [', encoding="utf-8")
    return root


def test_a_broken_describe_file_is_a_500_naming_it(broken_snapshot: Path) -> None:
    emu = Emulator.from_snapshot(broken_snapshot)
    reply = emu.session().get(
        f"{emu.instance_url}{V}/sobjects/Case/describe", headers=bearer(emu.access_token)
    )
    path = broken_snapshot / "sobjects" / "Case.json"
    assert (reply.status_code, reply.json()) == (
        500,
        [
            {
                "message": f"emulator snapshot: {path}: not valid JSON (Expecting value: "
                "line 1 column 29 (char 28))",
                "errorCode": "UNKNOWN_EXCEPTION",
            }
        ],
    )
    sf_answer = emu.session().get(
        f"{emu.instance_url}{V}/sobjects/Account/describe", headers=bearer(emu.access_token)
    )
    assert sf_answer.status_code == 200


def test_serve_refuses_a_broken_snapshot_at_start(broken_snapshot: Path) -> None:
    path = broken_snapshot / "sobjects" / "Case.json"
    with pytest.raises(SnapshotError) as raised:
        serve(Emulator.from_snapshot(broken_snapshot))
    assert str(raised.value) == (
        f"{path}: not valid JSON (Expecting value: line 1 column 29 (char 28))"
    )


def test_the_cli_refuses_a_broken_snapshot_in_one_line(
    broken_snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = broken_snapshot / "sobjects" / "Case.json"
    assert main(["emulator", "serve", "--org", str(broken_snapshot)]) == 2
    assert capsys.readouterr() == (
        "",
        f"error: {path}: not valid JSON (Expecting value: line 1 column 29 (char 28))\n",
    )


def test_an_unexpected_fault_is_a_json_500(
    sf_emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(sf_emulator.org, "limits", explode)
    reply = sf_emulator.session().get(
        f"{sf_emulator.instance_url}{V}/limits", headers=bearer(sf_emulator.access_token)
    )
    assert reply.status_code == 500
    assert reply.headers["Content-Type"] == "application/json;charset=UTF-8"
    [entry] = reply.json()
    assert sorted(entry) == ["errorCode", "message"] and entry["errorCode"] == "UNKNOWN_EXCEPTION"
    prefix = "An unexpected error occurred. Please include this ErrorId if you contact support: "
    error_id = entry["message"].removeprefix(prefix)
    assert re.fullmatch(r"[0-9a-f]{8}", error_id)
    err = capsys.readouterr().err
    assert err == f"sfschema emulator: ErrorId {error_id}: RuntimeError('boom')\n"


@pytest.mark.parametrize("version", ["v٥٩.0", "v99999999999999999999.0", "vinf.0", "v59.00x"])
def test_a_rest_version_that_is_not_one_is_404(sf_emulator: Emulator, version: str) -> None:
    reply = sf_emulator.session().get(
        f"{sf_emulator.instance_url}/services/data/{version}/sobjects",
        headers=bearer(sf_emulator.access_token),
    )
    assert (reply.status_code, reply.json()) == (
        404,
        [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}],
    )


_JSON_LEAF = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
_JSON = st.recursive(
    _JSON_LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)
_EMU = Emulator.demo(settings=EmulatorSettings(max_request_body_bytes=4096))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "POST", "PATCH", "DELETE", "PUT"]),
    path=st.sampled_from(
        [
            f"{V}/composite",
            f"{V}/composite/batch",
            f"{V}/sobjects/Account/describe",
            f"{V}/ui-api/object-info/Opportunity/picklist-values/012000000000000AAA",
            f"{V}/limits/recordCount?sObjects=Account",
            "/services/Soap/u/59.0",
            "/services/oauth2/token",
        ]
    )
    | st.text(alphabet="/abcvs0123456789.?=%&", max_size=40).map(lambda tail: "/services/" + tail),
    body=st.binary(max_size=200) | _JSON.map(lambda value: json.dumps(value).encode()),
)
def test_every_rest_answer_is_json_never_a_500(method: str, path: str, body: bytes) -> None:
    """Whatever is sent, REST answers JSON and never 500; SOAP answers a SOAP fault."""
    reply = _EMU.session().request(
        method,
        _EMU.instance_url + path,
        data=body,
        headers={**bearer(_EMU.access_token), "Content-Type": "application/json"},
    )
    if reply.headers.get("Content-Type", "").startswith("text/xml"):
        assert path.startswith("/services/Soap/")  # SOAP answers faults (HTTP 500, as SOAP does)
        return
    assert reply.status_code != 500, reply.text
    if reply.content:
        reply.json()


def test_a_global_describe_that_is_not_an_object_is_refused_at_start(tmp_path: Path) -> None:
    root = tmp_path / "org"
    shutil.copytree(demo_org_dir(), root)
    (root / "global.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(SnapshotError) as raised:
        Emulator.from_snapshot(root)
    assert str(raised.value) == f"{root / 'global.json'}: not a JSON object"


def test_a_global_describe_without_a_list_of_objects_still_serves(tmp_path: Path) -> None:
    root = tmp_path / "org"
    shutil.copytree(demo_org_dir(), root)
    (root / "global.json").write_text('{"sobjects": 5}', encoding="utf-8")
    emu = Emulator.from_snapshot(root)
    reply = emu.session().get(f"{emu.instance_url}{V}/sobjects", headers=bearer(emu.access_token))
    assert reply.status_code == 200
    assert [row["name"] for row in reply.json()["sobjects"]] == sorted(
        path.stem for path in (root / "sobjects").glob("*.json")
    )


def test_serve_refuses_broken_seed_records_at_start(tmp_path: Path) -> None:
    root = tmp_path / "org"
    shutil.copytree(demo_org_dir(), root)
    (root / "records" / "Lead.json").write_text('[{"Id": "nope"}]', encoding="utf-8")
    with pytest.raises(SnapshotError) as raised:
        serve(Emulator.from_snapshot(root))
    assert str(raised.value) == "records/Lead.json: seed record without a valid 18-char Id: 'nope'"
