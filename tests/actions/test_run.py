"""Workflows end to end against the emulator: what is written, what is caught, what it costs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sfschema.actions import TemplateError, load_actions
from sfschema.actions.run import workflow_from_data
from sfschema.client import Client
from sfschema.emulator import Emulator

EXAMPLES = Path(__file__).parents[2] / "examples"
OPPORTUNITY = "006000000000001AAA"
CONTACT = "003000000000001AAA"


@pytest.fixture
def client() -> Client:
    """The demo org, its describes already cached and its request log emptied: every request
    a test then sees was made by the workflow."""
    client = Client.demo()
    client.describe("Task", "Opportunity", "Invoice__c")
    emulator(client).requests.clear()
    return client


def emulator(client: Client) -> Emulator:
    assert client.emulator is not None
    return client.emulator


def writes(client: Client) -> list[tuple[str, str, int]]:
    """Every request but reads (GET/HEAD), from the emulator's log."""
    return [
        (entry.method, entry.path, entry.status)
        for entry in emulator(client).requests
        if entry.method not in ("GET", "HEAD")
    ]


def context(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text())


def rows(client: Client, soql: str) -> list[dict[str, Any]]:
    return list(client.query(soql))


def test_post_meeting_tasks_are_created_in_one_call(client: Client) -> None:
    workflow = load_actions(EXAMPLES / "post_meeting_tasks.yaml", time_zone="Europe/Berlin")
    result = workflow.run(client, context("meeting.json"))
    assert [(i.outcome, i.record_id) for i in result.items] == [
        ("done", "00T000000000003EAA"),
        ("done", "00T000000000004EAA"),
        ("done", "00T000000000005EAA"),
    ]
    assert writes(client) == [("POST", "/services/data/v59.0/composite", 200)]
    assert result.summary().startswith("3 done, 0 rejected, 0 failed, 0 unknown; ")
    assert rows(
        client,
        "SELECT Subject, WhatId, WhoId, ActivityDate, Priority, TaskSubtype FROM Task "
        "WHERE WhatId = '006000000000001AAA' AND ActivityDate > 2025-01-01 ORDER BY ActivityDate",
    ) == [
        {
            "Subject": "Send pricing deck",
            "WhatId": OPPORTUNITY,
            "WhoId": CONTACT,
            "ActivityDate": "2025-02-03",
            "Priority": "High",
            "TaskSubtype": "Call",
        },
        {
            "Subject": "Book legal review",
            "WhatId": OPPORTUNITY,
            "WhoId": None,
            "ActivityDate": "2025-02-05",
            "Priority": "Normal",
            "TaskSubtype": "Call",
        },
        {
            "Subject": "Share security questionnaire",
            "WhatId": OPPORTUNITY,
            "WhoId": None,
            "ActivityDate": "2025-02-07",
            "Priority": "Low",
            "TaskSubtype": "Call",
        },
    ]


def test_stage_update_finds_the_deal_and_writes_it(client: Client) -> None:
    result = load_actions(EXAMPLES / "opportunity_stage_update.yaml").run(
        client, context("meeting.json")
    )
    assert [(i.outcome, i.record_id) for i in result.items] == [("done", OPPORTUNITY)]
    assert writes(client) == [("POST", "/services/data/v59.0/composite", 200)]
    assert rows(
        client, f"SELECT StageName, NextStep, CloseDate FROM Opportunity WHERE Id = '{OPPORTUNITY}'"
    ) == [
        {
            "StageName": "Negotiation/Review",
            "NextStep": "Send the signed order form",
            "CloseDate": "2025-03-31",
        }
    ]


def test_next_step_workflow_queries_then_updates_and_logs(client: Client) -> None:
    workflow = load_actions(EXAMPLES / "next_step_update.yaml")
    result = workflow.run(client, context("meeting.json"), today=_day("2025-02-01"))
    assert [(i.step, i.outcome, i.record_id, i.rows) for i in result.items] == [
        ("find_deal", "queried", None, 1),
        ("next_step", "done", OPPORTUNITY, None),
        ("log_meeting", "done", "00T000000000003EAA", None),
    ]
    assert rows(
        client,
        "SELECT Subject, Status, ActivityDate, TaskSubtype, WhatId FROM Task "
        "WHERE Id = '00T000000000003EAA'",
    ) == [
        {
            "Subject": "Meeting: Acme QBR",
            "Status": "Completed",
            "ActivityDate": "2025-02-01",
            "TaskSubtype": "Task",
            "WhatId": OPPORTUNITY,
        }
    ]
    assert rows(
        client, f"SELECT NextStep, Description FROM Opportunity WHERE Id = '{OPPORTUNITY}'"
    ) == [
        {
            "NextStep": "Send the signed order form",
            "Description": "Updated after 'Acme QBR' (stage Prospecting)",
        }
    ]


def test_a_closed_deal_is_not_touched(client: Client) -> None:
    ctx = context("meeting.json")
    ctx["dealRoom"]["salesforceOpportunityId"] = "006000000000003AAA"  # Closed Won
    result = load_actions(EXAMPLES / "next_step_update.yaml").run(client, ctx)
    assert [(i.step, i.outcome, i.rows) for i in result.items] == [("find_deal", "queried", 0)]
    assert writes(client) == []


def test_wrong_stage_is_caught_before_sending(client: Client) -> None:
    result = load_actions(EXAMPLES / "opportunity_stage_update.yaml").run(
        client, context("meeting_wrong_stage.json")
    )
    [item] = result.items
    assert item.outcome == "rejected"
    assert item.report is not None
    assert [(e.field, e.code, e.suggestion) for e in item.report.errors] == [
        ("StageName", "UNKNOWN_PICKLIST_VALUE", "Closed Won")
    ]
    assert writes(client) == []
    assert not result.ok


@pytest.mark.parametrize(
    ("params", "value", "error"),
    [
        ({"what_id": "{{ json.v }}"}, CONTACT, ("WhatId", "FIELD_INTEGRITY_EXCEPTION")),
        ({"what_id": "{{ json.v }}"}, OPPORTUNITY + "A", ("WhatId", "MALFORMED_ID")),
        ({"who_id": "{{ json.v }}"}, OPPORTUNITY, ("WhoId", "FIELD_INTEGRITY_EXCEPTION")),
        (
            {"field_values": {"IsClosed": "{{ json.v }}"}},
            True,
            ("IsClosed", "INVALID_FIELD_FOR_INSERT_UPDATE"),
        ),
        (
            {"activity_date": "{{ json.v }}"},
            "31/01/2025",
            ("ActivityDate", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        ),
    ],
)
def test_mistakes_are_caught_and_nothing_is_sent(
    client: Client, params: dict[str, Any], value: Any, error: tuple[str, str]
) -> None:
    data = {"action": "create_task", "params": {"subject": "s", "description": "d", **params}}
    result = workflow_from_data(data).run(client, {"v": value})
    [item] = result.items
    assert item.outcome == "rejected"
    assert item.report is not None
    assert [(e.field, e.code) for e in item.report.errors] == [error]
    assert writes(client) == []


def test_formula_field_is_refused_with_the_reason(client: Client) -> None:
    data = {
        "action": "update_record",
        "object": "Invoice__c",
        "params": {"record_id": "a0I000000000001EAA", "field_values": {"Total__c": 1}},
    }
    [item] = workflow_from_data(data).run(client, {}).items
    assert item.report is not None
    assert [(e.field, e.code, e.hint) for e in item.report.errors] == [
        (
            "Total__c",
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            "remove Total__c from the values: it is a formula field",
        )
    ]
    assert writes(client) == []


@pytest.mark.parametrize(
    ("data", "ctx", "message"),
    [
        (
            {
                "action": "create_task",
                "for_each": "json.items",
                "params": {"subject": "{{ json.item.title }}", "description": "d"},
            },
            {"items": [{"title": "a"}, {}]},
            "step1.params.subject (item 1): json.item.title is undefined at line 1, column 4",
        ),
        (
            {
                "action": "create_task",
                "params": {
                    "subject": "s",
                    "description": "d",
                    "activity_date": "{{ json.d | sf_date }}",
                },
            },
            {"d": "tomorrow"},
            "step1.params.activity_date: sf_date cannot read 'tomorrow' as a date: give an ISO "
            "date (2025-01-31) or date-time (2025-01-31T09:30:00Z, or with an offset)",
        ),
    ],
)
def test_template_errors_send_nothing(client: Client, data: Any, ctx: Any, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        workflow_from_data(data).run(client, ctx)
    assert str(caught.value) == message
    assert writes(client) == []


def test_450_tasks_cost_one_api_call_for_the_writes(client: Client) -> None:
    data = {
        "action": "create_task",
        "for_each": "json.items",
        "params": {
            "what_id": OPPORTUNITY,
            "subject": "{{ json.item.title }}",
            "description": "item {{ json.index }}",
        },
    }
    items = [{"title": f"Action item {n}"} for n in range(450)]
    before = emulator(client).api_calls
    result = workflow_from_data(data).run(client, {"items": items})
    assert [i.outcome for i in result.items] == ["done"] * 450
    assert len({i.record_id for i in result.items}) == 450
    assert emulator(client).api_calls - before == 1
    assert writes(client) == [("POST", "/services/data/v59.0/composite", 200)]
    assert (
        client.query("SELECT COUNT() FROM Task WHERE Subject LIKE 'Action item %'").count() == 450
    )


def test_mixed_batch_accounts_for_every_item(client: Client) -> None:
    data = {
        "action": "create_task",
        "for_each": "json.items",
        "params": {"subject": "s", "description": "d", "priority": "{{ json.item }}"},
    }
    result = workflow_from_data(data).run(client, {"items": ["High", "urgent", "Low", "high"]})
    assert [(i.index, i.outcome) for i in result.items] == [
        (0, "done"),
        (1, "rejected"),
        (2, "done"),
        (3, "rejected"),
    ]
    assert result.summary().startswith("2 done, 2 rejected, 0 failed, 0 unknown; ")


def _day(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text + "T12:00:00+00:00")
