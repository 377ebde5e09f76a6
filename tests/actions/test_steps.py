"""Rendering and validating steps against the demo org: each workflow mistake caught, whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sfschema.actions import TemplateError, load_actions
from sfschema.actions.run import workflow_from_data
from sfschema.schema import OrgSchema
from sfschema.validate import ValidationIssue

EXAMPLES = Path(__file__).parents[2] / "examples"
SCHEMA = OrgSchema.demo()
OPPORTUNITY = "006000000000001AAA"
CONTACT = "003000000000001AAA"


def issues(data: dict[str, Any], context: dict[str, Any]) -> tuple[list[Any], ...]:
    step = workflow_from_data(data).steps[0]
    rendered = step.render(context).validate(SCHEMA)
    return tuple(
        [item.report.errors, item.report.warnings] if item.report else [] for item in rendered.items
    )


def task(**params: str) -> dict[str, Any]:
    return {"action": "create_task", "params": {"subject": "s", "description": "d", **params}}


def test_post_meeting_example_renders_three_valid_tasks() -> None:
    workflow = load_actions(EXAMPLES / "post_meeting_tasks.yaml", time_zone="Europe/Berlin")
    context = json.loads((EXAMPLES / "meeting.json").read_text())
    rendered = workflow.steps[0].render(context).validate(SCHEMA)
    assert [(item.values, item.report and item.report.ok) for item in rendered.items] == [
        (
            {
                "Subject": "Send pricing deck",
                "Description": "From 'Acme QBR': Deck v3 with the volume tiers",
                "WhatId": OPPORTUNITY,
                "WhoId": CONTACT,
                "ActivityDate": "2025-02-03",
                "Priority": "High",
                "TaskSubtype": "Call",
            },
            True,
        ),
        (
            {
                "Subject": "Book legal review",
                "Description": "From 'Acme QBR': 30 minutes with Acme legal",
                "WhatId": OPPORTUNITY,
                "ActivityDate": "2025-02-05",
                "Priority": "Normal",
                "TaskSubtype": "Call",
            },
            True,
        ),
        (
            {
                "Subject": "Share security questionnaire",
                "Description": "From 'Acme QBR': SOC 2 report attached",
                "WhatId": OPPORTUNITY,
                "ActivityDate": "2025-02-07",
                "Priority": "Low",
                "TaskSubtype": "Call",
            },
            True,
        ),
    ]


def test_wrong_stage_case_is_caught_with_its_suggestion() -> None:
    workflow = load_actions(EXAMPLES / "opportunity_stage_update.yaml")
    context = json.loads((EXAMPLES / "meeting_wrong_stage.json").read_text())
    [item] = workflow.steps[0].render(context).validate(SCHEMA).items
    assert item.params["opportunity_id"] == [OPPORTUNITY]  # `first | map` yields a list …
    assert item.record_id == [OPPORTUNITY] or item.report is not None
    assert item.report is not None and item.report.record_id == OPPORTUNITY  # … unwrapped
    assert item.report.to_json()["errors"] == [
        {
            "field": "StageName",
            "code": "UNKNOWN_PICKLIST_VALUE",
            "message": "Stage: value not in the picklist's known values: closed won",
            "value": "closed won",
            "suggestion": "Closed Won",
            "hint": "allowed values: 'Prospecting', 'Qualification', 'Needs Analysis', "
            "'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', "
            "'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'",
        }
    ]


def test_contact_id_in_what_id() -> None:
    [[errors, warnings]] = issues(task(what_id="{{ json.w }}"), {"w": CONTACT})
    assert warnings == ()
    assert [(e.field, e.code, e.message) for e in errors] == [
        (
            "WhatId",
            "FIELD_INTEGRITY_EXCEPTION",
            f"Related To ID: id value of incorrect type: {CONTACT}",
        )
    ]
    assert errors[0].hint.startswith(f"{CONTACT} is a Contact id; WhatId takes ids of 'Account'")


def test_opportunity_id_in_who_id() -> None:
    [[errors, _]] = issues(task(who_id="{{ json.w }}"), {"w": OPPORTUNITY})
    assert [(e.field, e.code, e.message, e.hint) for e in errors] == [
        (
            "WhoId",
            "FIELD_INTEGRITY_EXCEPTION",
            f"Name ID: id value of incorrect type: {OPPORTUNITY}",
            f"{OPPORTUNITY} is an Opportunity id; WhoId takes ids of 'Contact', 'Lead'",
        )
    ]


def test_nineteen_character_id() -> None:
    bad = OPPORTUNITY + "A"
    [[errors, _]] = issues(task(what_id="{{ json.w }}"), {"w": bad})
    assert errors == (
        ValidationIssue(
            "WhatId",
            "MALFORMED_ID",
            f"Related To ID: id value of incorrect type: {bad}",
            bad,
            None,
            f"{bad!r} is not a Salesforce id: expected 15 or 18 letters and digits",
        ),
    )


def test_fifteen_character_id_is_normalised_with_a_warning() -> None:
    [[errors, warnings]] = issues(task(what_id="{{ json.w }}"), {"w": OPPORTUNITY[:15]})
    assert errors == ()
    assert warnings == (
        ValidationIssue(
            "WhatId",
            "ID_NORMALISED",
            f"WhatId: the 15-character id {OPPORTUNITY[:15]} is sent as {OPPORTUNITY}",
            OPPORTUNITY[:15],
            None,
            "18-character ids are safe in case-insensitive tools; send those",
        ),
    )


def test_formula_field_in_field_values() -> None:
    data = {
        "action": "update_record",
        "object": "Invoice__c",
        "params": {"record_id": "a0I000000000001EAA", "field_values": {"Total__c": "{{ json.t }}"}},
    }
    [[errors, _]] = issues(data, {"t": 100})
    assert [(e.field, e.code, e.hint) for e in errors] == [
        (
            "Total__c",
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            "remove Total__c from the values: it is a formula field",
        )
    ]


def test_date_filter_output_reaching_a_date_field_is_caught_by_validation() -> None:
    data = task(activity_date='{{ json.d | date: "%Y-%m-%d" }}')
    [[errors, _]] = issues(data, {"d": "tomorrow"})
    assert [(e.field, e.code, e.message) for e in errors] == [
        (
            "ActivityDate",
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            "Due Date Only: value not of required type: tomorrow",
        )
    ]


def test_missing_context_path_names_path_parameter_and_item() -> None:
    data = {**task(subject="{{ json.item.title }}"), "for_each": "json.items"}
    with pytest.raises(TemplateError) as caught:
        issues(data, {"items": [{"title": "a"}, {"name": "b"}]})
    assert str(caught.value) == (
        "step1.params.subject (item 1): json.item.title is undefined at line 1, column 4"
    )


def test_unreadable_date_names_the_item() -> None:
    data = {**task(activity_date="{{ json.item | sf_date }}"), "for_each": "json.items"}
    with pytest.raises(TemplateError) as caught:
        issues(data, {"items": ["2025-01-31", "31/01/2025"]})
    assert str(caught.value) == (
        "step1.params.activity_date (item 1): sf_date cannot read '31/01/2025' as a date: give "
        "an ISO date (2025-01-31) or date-time (2025-01-31T09:30:00Z, or with an offset)"
    )


def test_for_each_must_be_a_list() -> None:
    data = {**task(), "for_each": "json.meeting"}
    with pytest.raises(TemplateError) as caught:
        issues(data, {"meeting": {"a": 1}})
    assert str(caught.value) == "step1.for_each: must yield a list, got dict: \"{'a': 1}\""


def test_field_given_twice_is_refused() -> None:
    data = task(what_id=OPPORTUNITY)
    data["params"]["field_values"] = {"Subject": "again"}
    with pytest.raises(TemplateError) as caught:
        issues(data, {})
    assert str(caught.value) == (
        "step1.params.field_values: Subject is set by its own parameter; give it once"
    )


def test_field_values_from_one_template_must_be_a_mapping() -> None:
    data = {
        "action": "update_opportunity",
        "params": {"opportunity_id": OPPORTUNITY, "field_values": "{{ json.fields }}"},
    }
    [[errors, _]] = issues(data, {"fields": {"NextStep": "Call back"}})
    assert errors == ()
    with pytest.raises(TemplateError) as caught:
        issues(data, {"fields": "NextStep=Call back"})
    assert str(caught.value) == (
        "step1.params.field_values: must be a mapping of field → value, got str: "
        "'NextStep=Call back'"
    )
