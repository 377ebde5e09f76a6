"""``sfschema run``: whole outputs and exit codes against the demo org."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sfschema.cli import main

EXAMPLES = Path(__file__).parents[2] / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["run", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_post_meeting_tasks(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(
        capsys,
        str(EXAMPLES / "post_meeting_tasks.yaml"),
        "--context",
        str(EXAMPLES / "meeting.json"),
        "--org",
        "demo",
    ) == (
        0,
        "create_tasks[0] create_task Task: done 00T000000000003EAA\n"
        '  params: {"what_id": "006000000000001AAA", "who_id": "003000000000001AAA", '
        '"subject": "Send pricing deck", "description": "From \'Acme QBR\': Deck v3 with the '
        'volume tiers", "activity_date": "2025-02-03", "priority": "High"}\n'
        "  Task create: valid\n"
        "create_tasks[1] create_task Task: done 00T000000000004EAA\n"
        '  params: {"what_id": "006000000000001AAA", "who_id": "", "subject": "Book legal '
        'review", "description": "From \'Acme QBR\': 30 minutes with Acme legal", '
        '"activity_date": "2025-02-05", "priority": "Normal"}\n'
        "  Task create: valid\n"
        "create_tasks[2] create_task Task: done 00T000000000005EAA\n"
        '  params: {"what_id": "006000000000001AAA", "who_id": "", "subject": "Share security '
        'questionnaire", "description": "From \'Acme QBR\': SOC 2 report attached", '
        '"activity_date": "2025-02-07", "priority": "Low"}\n'
        "  Task create: valid\n",
        # global describe + Task describe (cold cache), then one /composite for the writes
        "3 done, 0 rejected, 0 failed, 0 unknown; 3 API calls (2 describe)\n",
    )


def test_wrong_stage_exits_1_with_the_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        str(EXAMPLES / "opportunity_stage_update.yaml"),
        "--context",
        str(EXAMPLES / "meeting_wrong_stage.json"),
        "--org",
        "demo",
    )
    assert (code, out, err) == (
        1,
        "update_stage[0] update_opportunity Opportunity: rejected (not sent)\n"
        '  params: {"opportunity_id": ["006000000000001AAA"], "field_values": {"StageName": '
        '"closed won", "NextStep": "Countersign", "CloseDate": "2025-02-28"}}\n'
        "  Opportunity update 006000000000001AAA: 1 error, 0 warnings\n"
        "  error   StageName: UNKNOWN_PICKLIST_VALUE: Stage: value not in the picklist's known "
        "values: closed won\n"
        "      → did you mean 'Closed Won'? allowed values: 'Prospecting', 'Qualification', "
        "'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', "
        "'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'\n",
        # the describes only: the rejected update costs nothing
        "0 done, 1 rejected, 0 failed, 0 unknown; 2 API calls (2 describe)\n",
    )


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        str(EXAMPLES / "opportunity_stage_update.yaml"),
        "--context",
        str(EXAMPLES / "meeting.json"),
        "--org",
        "demo",
        "--json",
    )
    assert code == 0
    assert json.loads(out) == {
        "items": [
            {
                "step": "update_stage",
                "index": 0,
                "action": "update_opportunity",
                "object": "Opportunity",
                "params": {
                    "opportunity_id": ["006000000000001AAA"],
                    "field_values": {
                        "StageName": "Negotiation/Review",
                        "NextStep": "Send the signed order form",
                        "CloseDate": "2025-03-31",
                    },
                },
                "report": {
                    "object": "Opportunity",
                    "operation": "update",
                    "record_id": "006000000000001AAA",
                    "record_type_id": None,
                    "ok": True,
                    "payload": {
                        "StageName": "Negotiation/Review",
                        "NextStep": "Send the signed order form",
                        "CloseDate": "2025-03-31",
                    },
                    "errors": [],
                    "warnings": [],
                },
                "outcome": "done",
                "id": "006000000000001AAA",
                "created": None,
                "errors": [],
                "rows": None,
            }
        ],
        "api_calls": 3,
        "describe_calls": 2,
        "summary": {
            "done": 1,
            "rejected": 0,
            "failed": 0,
            "unknown": 0,
            "dry-run": 0,
            "queried": 0,
        },
    }


def test_check_lists_paths_and_static_problems(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, str(EXAMPLES / "next_step_update.yaml"), "--check", "--org", "demo") == (
        0,
        "step find_deal: ok\n"
        "  find_deal.params.soql reads nothing (static)\n"
        "  find_deal.params.binds.deal reads json.dealRoom.salesforceOpportunityId\n"
        "step next_step: ok\n"
        "  next_step.for_each reads steps.find_deal.records\n"
        "  next_step.params.opportunity_id reads json.item.Id\n"
        "  next_step.params.field_values.NextStep reads json.summary.nextStep\n"
        "  next_step.params.field_values.Description reads json.item.StageName, "
        "json.meeting.title\n"
        "step log_meeting: ok\n"
        "  log_meeting.for_each reads steps.find_deal.records\n"
        "  log_meeting.params.what_id reads json.item.Id\n"
        "  log_meeting.params.subject reads json.meeting.title\n"
        "  log_meeting.params.description reads json.summary.text\n"
        "  log_meeting.params.task_subtype reads nothing (static)\n",
        "",
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "steps:\n"
        "  - name: find\n"
        "    action: query\n"
        "    params:\n"
        "      soql: SELECT Id, Nme FROM Opportunity WHERE Id = :deal\n"
        "      binds: {deal: '{{ json.id }}'}\n"
        "  - name: update\n"
        "    action: update_opportunity\n"
        "    params:\n"
        "      opportunity_id: '{{ json.id }}'\n"
        "      field_values: {StageNme: '{{ json.stage }}', Probability: lots, IsWon: true}\n"
    )
    assert run(capsys, str(broken), "--check", "--org", "demo") == (
        1,
        "step find: problems\n"
        "  find.params.soql reads nothing (static)\n"
        "  find.params.binds.deal reads json.id\n"
        "  error find.params.soql: INVALID_FIELD: No such column 'Nme' on entity 'Opportunity'. "
        "If you are attempting to use a custom field, be sure to append the '__c' after the "
        "custom field name. (did you mean 'Name'?)\n"
        "step update: problems\n"
        "  update.params.opportunity_id reads json.id\n"
        "  update.params.field_values.StageNme reads json.stage\n"
        "  update.params.field_values.Probability reads nothing (static)\n"
        "  error update: StageNme: INVALID_FIELD: No such column 'StageNme' on sobject of type "
        "Opportunity\n"
        "  error update: Probability: INVALID_TYPE_ON_FIELD_IN_RECORD: Probability (%): value "
        "not of required type: lots\n"
        "  error update: IsWon: INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update "
        "fields: IsWon. Please check the security settings of this field and verify that it "
        "is read/write for your profile or permission set.\n",
        "",
    )


@pytest.mark.parametrize(
    ("argv", "err"),
    [
        (
            ["/no/such.yaml", "--context", "x.json"],
            "error: cannot read action file /no/such.yaml: No such file or directory\n",
        ),
        (
            [str(EXAMPLES / "post_meeting_tasks.yaml"), "--context", "{ctx}"],
            "error: create_tasks.for_each: json.actionItems is undefined at line 1, column 1\n",
        ),
        (
            [str(EXAMPLES / "post_meeting_tasks.yaml"), "--context", "{bad}"],
            "error: context file {bad} is not valid JSON: Expecting value: line 1 column 1 "
            "(char 0)\n",
        ),
        (
            [
                str(EXAMPLES / "post_meeting_tasks.yaml"),
                "--context",
                "{ctx}",
                "--time-zone",
                "Mars/Base",
            ],
            "error: unknown time zone 'Mars/Base': use an IANA name such as 'UTC' or "
            "'Europe/Berlin'\n",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], err: str
) -> None:
    ctx = tmp_path / "ctx.json"
    ctx.write_text('{"meeting": {}}')
    bad = tmp_path / "bad.json"
    bad.write_text("nope")
    values = {"ctx": str(ctx), "bad": str(bad)}
    argv = [a.format(**values) for a in argv]
    assert run(capsys, *argv, "--org", "demo") == (2, "", err.format(**values))
