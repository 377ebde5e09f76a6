"""Credentials from the environment: the CLI against the emulator served over real HTTPS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import CLI


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SF_")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_instance_url_and_access_token(served_demo: dict[str, Any], tmp_path: Path) -> None:
    env = {
        "SF_INSTANCE_URL": served_demo["instance_url"],
        "SF_ACCESS_TOKEN": served_demo["access_token"],
        "REQUESTS_CA_BUNDLE": served_demo["ca_bundle"],
        "SFSCHEMA_CACHE_DIR": str(tmp_path / "cache"),
    }
    done = run_cli(["pull", "--objects", "Account,Invoice__c", "--out", str(tmp_path / "s")], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        f"pulled 2 objects into {tmp_path / 's'}: 2 fetched, 0 unchanged (304), 3 API calls, "
    )
    assert done.stderr == ""
    shown = run_cli(["describe", "Invoice__c", "--field", "Status__c", "--json"], env)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["name"] == "Status__c"
    # One entry per org, user, instance (host and port) and API version.
    cached = [p.relative_to(tmp_path / "cache") for p in (tmp_path / "cache").glob("*/*/*/*")]
    port = served_demo["instance_url"].rsplit(":", 1)[1]
    assert [str(p) for p in cached] == [
        f"00D00000000016QEAQ/0050000000000G9AAI/127.0.0.1_{port}/v59.0"
    ]


def test_bad_token_is_one_line(served_demo: dict[str, Any], tmp_path: Path) -> None:
    env = {
        "SF_INSTANCE_URL": served_demo["instance_url"],
        "SF_ACCESS_TOKEN": "00D000000000000!nope",
        "REQUESTS_CA_BUNDLE": served_demo["ca_bundle"],
        "SFSCHEMA_CACHE_DIR": str(tmp_path / "cache"),
    }
    done = run_cli(["describe", "Account"], env)
    assert done.returncode == 2
    assert done.stderr == (
        f"error: INVALID_SESSION_ID: {served_demo['instance_url']} refused the session (403): "
        "set a valid SF_ACCESS_TOKEN, or log in with SF_USERNAME/SF_PASSWORD\n"
    )


def test_no_credentials_means_the_demo_org_said_on_stderr(tmp_path: Path) -> None:
    done = run_cli(
        ["describe", "Task", "--field", "WhatId", "--json"],
        {"SFSCHEMA_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "sfschema: no SF_* credentials set; using the built-in demo org\n"
    assert "Opportunity" in json.loads(done.stdout)["referenceTo"]
