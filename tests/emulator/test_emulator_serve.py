"""`sfschema emulator serve`: HTTPS in a subprocess, reached by requests and simple-salesforce."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
from simple_salesforce import Salesforce

from sfschema.emulator import DEMO_USER
from tests.conftest import CLI
from tests.emulator.conftest import as_served, bearer, shipped


@pytest.fixture(scope="module")
def served(served_demo: dict[str, Any]) -> dict[str, Any]:
    return served_demo


def test_serve_prints_connection_info(served: dict[str, Any]) -> None:
    assert sorted(served) == [
        "access_token", "ca_bundle", "instance_url", "password", "security_token", "username",
    ]  # fmt: skip
    assert served["instance_url"].startswith("https://127.0.0.1:")
    assert (served["username"], served["password"], served["security_token"]) == (
        DEMO_USER.username,
        DEMO_USER.password,
        DEMO_USER.security_token,
    )


def test_describe_over_https_with_the_ca_bundle(served: dict[str, Any]) -> None:
    reply = requests.get(
        f"{served['instance_url']}/services/data/v59.0/sobjects/Opportunity/describe",
        headers=bearer(served["access_token"]),
        verify=served["ca_bundle"],
        timeout=10,
    )
    assert reply.status_code == 200
    # The snapshot's UI URLs name the org it came from; the answer names the server asked.
    assert reply.json() == as_served(
        shipped("sobjects", "Opportunity.json"), served["instance_url"]
    )
    assert reply.headers["Sforce-Limit-Info"].startswith("api-usage=")


def test_untrusted_without_the_ca_bundle(served: dict[str, Any]) -> None:
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{served['instance_url']}/services/data/", timeout=10)


def test_simple_salesforce_and_oauth_over_https(served: dict[str, Any]) -> None:
    session = requests.Session()
    # REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE in the environment would override session.verify.
    session.trust_env = False
    session.verify = served["ca_bundle"]
    sf = Salesforce(
        instance_url=served["instance_url"], session_id=served["access_token"], session=session
    )
    assert sf.Task.describe() == as_served(shipped("sobjects", "Task.json"), served["instance_url"])
    token = session.post(
        f"{served['instance_url']}/services/oauth2/token",
        data={
            "grant_type": "password",
            "client_id": "cli",
            "username": served["username"],
            "password": served["password"] + served["security_token"],
        },
        timeout=10,
    ).json()
    assert token["instance_url"] == served["instance_url"]
    other = Salesforce(
        instance_url=token["instance_url"], session_id=token["access_token"], session=session
    )
    assert other.limits()["DailyApiRequests"]["Max"] == 15000


def test_sigterm_stops_the_server_and_removes_its_certificates() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "emulator", "serve", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        info = json.loads(process.stdout.readline())
        assert Path(info["ca_bundle"]).is_file()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert not Path(info["ca_bundle"]).exists()
    finally:
        if process.poll() is None:
            process.kill()


@pytest.mark.parametrize("port", ["-5", "99999"])
def test_port_out_of_range_is_a_usage_error(port: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CLI, "emulator", "serve", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"Invalid value for '--port': {port} is not in the range 0<=x<=65535." in done.stderr
