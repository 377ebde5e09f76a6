"""API versions are ASCII digits wherever they are read (``\\d`` and ``float`` take ``٥٩``)."""

from __future__ import annotations

import pytest
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import SalesforceAuthenticationFailed

from sfschema.cli import main
from sfschema.client.session import connect_env
from sfschema.emulator import DEMO_USER, Emulator
from sfschema.errors import SfschemaError

ARABIC_INDIC = "٥٩.0"  # 59.0 in Arabic-Indic digits


@pytest.mark.parametrize("version", [ARABIC_INDIC, "v59.0", "59", "59.0 "])
def test_sf_api_version_is_refused_unless_written_like_59_0(version: str) -> None:
    env = {"SF_INSTANCE_URL": "https://x.my.salesforce.com", "SF_ACCESS_TOKEN": "t"}
    with pytest.raises(SfschemaError) as raised:
        connect_env({**env, "SF_API_VERSION": version})
    assert str(raised.value) == (
        f"SF_API_VERSION={version!r} is not an API version: write it as 59.0 (ASCII digits, "
        "no leading v)"
    )


def test_sf_api_version_through_the_cli_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SF_INSTANCE_URL", "https://x.my.salesforce.com")
    monkeypatch.setenv("SF_ACCESS_TOKEN", "t")
    monkeypatch.setenv("SF_API_VERSION", ARABIC_INDIC)
    assert main(["describe", "Account"]) == 2
    assert capsys.readouterr() == (
        "",
        f"error: SF_API_VERSION='{ARABIC_INDIC}' is not an API version: write it as 59.0 "
        "(ASCII digits, no leading v)\n",
    )


def test_the_emulator_serves_ascii_versions_only(sf_emulator: Emulator) -> None:
    session = sf_emulator.session()
    headers = {"Authorization": f"Bearer {sf_emulator.access_token}"}
    base = f"{sf_emulator.instance_url}/services/data"
    assert session.get(f"{base}/v59.0/sobjects/Account/describe", headers=headers).ok
    answer = session.get(f"{base}/v{ARABIC_INDIC}/sobjects/Account/describe", headers=headers)
    assert (answer.status_code, answer.json()) == (
        404,
        [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}],
    )


@pytest.mark.parametrize("version", [ARABIC_INDIC, "inf", "5.9e1"])
def test_soap_login_refuses_a_version_not_in_ascii_digits(
    sf_emulator: Emulator, version: str
) -> None:
    with pytest.raises(SalesforceAuthenticationFailed) as raised:
        Salesforce(
            username=DEMO_USER.username,
            password=DEMO_USER.password,
            security_token=DEMO_USER.security_token,
            session=sf_emulator.session(),
            version=version,
        )
    assert (raised.value.code, raised.value.auth_message) == (
        "UNSUPPORTED_API_VERSION",
        f"Unsupported API version: {version}",
    )
