"""Action files: every shape mistake is one error naming where it stands (nothing runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sfschema.actions import ActionFileError, TemplateError, load_actions
from sfschema.actions.spec import parse_steps
from sfschema.errors import SfschemaError

TASK = {"subject": "s", "description": "d"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"action": "create_tsk", "params": {}},
            "f.yaml: step 1: unknown action 'create_tsk' (did you mean 'create_task' or "
            "'create_record'?); actions: create_task, log_activity, update_opportunity, "
            "update_record, create_record, query",
        ),
        (
            {"action": "create_task", "params": {"subject": "x", "descripton": "y"}},
            "f.yaml: step 1 (create_task): unknown parameter 'descripton' (did you mean "
            "'description'?); it takes subject, description, what_id, who_id, activity_date, "
            "priority, status, owner_id, task_subtype, field_values",
        ),
        (
            {"action": "create_task", "params": {"subject": "x"}},
            "f.yaml: step 1 (create_task): missing required parameter 'description'",
        ),
        (
            {"action": "update_record", "params": {"record_id": "1", "field_values": {}}},
            "f.yaml: step 1 (update_record): give the object, e.g. object: Account",
        ),
        (
            {"action": "create_task", "object": "Task", "params": TASK},
            "f.yaml: step 1 (create_task): 'object' is only for the generic actions",
        ),
        (
            {"action": "create_task", "for_each": 5, "params": TASK},
            "f.yaml: step 1: 'for_each' must be a Liquid expression (text)",
        ),
        (
            {
                "action": "update_opportunity",
                "params": {"opportunity_id": "x", "field_values": 5},
            },
            "f.yaml: step 1 (update_opportunity): 'field_values' must be a mapping of field → "
            "value (or one template yielding such a mapping)",
        ),
        (
            {"steps": [{"name": "a", "action": "create_task", "params": TASK}] * 2},
            "f.yaml: two steps are named 'a'",
        ),
        ({"steps": []}, "f.yaml: 'steps' must be a non-empty list of steps"),
        ({"stesp": []}, "f.yaml: step 1: unknown key 'stesp' (did you mean 'steps'?)"),
        ([1, 2], "f.yaml: expected a step (action, params) or 'steps: [...]'"),
        (
            {"name": "bad-name", "action": "create_task", "params": TASK},
            "f.yaml: step 1: step name 'bad-name' must be letters, digits and underscores (it "
            "is read as steps.<name>)",
        ),
    ],
)
def test_shape_mistakes(data: Any, message: str) -> None:
    with pytest.raises(ActionFileError) as caught:
        parse_steps(data, "f.yaml")
    assert str(caught.value) == message
    assert isinstance(caught.value, SfschemaError)  # the CLI prints one line, exit 2


@pytest.mark.parametrize(
    ("name", "text", "error", "message"),
    [
        (
            "a.yaml",
            "action: query\nparams:\n  soql: [unclosed\n",
            ActionFileError,
            "{d}/a.yaml: not valid YAML: expected ',' or ']', but got '<stream end>' at line 4, "
            "column 1",
        ),
        (
            "bomb.yaml",
            "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
            ActionFileError,
            "{d}/bomb.yaml: too large or too deeply nested (at most 10,000 values, 20 levels)",
        ),
        (
            "deep.json",
            "[" * 5000 + "]" * 5000,
            ActionFileError,
            "{d}/deep.json: too large or too deeply nested (at most 10,000 values, 20 levels)",
        ),
        (
            "c.json",
            "{",
            ActionFileError,
            "{d}/c.json: not valid JSON: Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)",
        ),
        (
            "q.yaml",
            "action: query\nparams:\n"
            "  soql: \"SELECT Id FROM Account WHERE Name = '{{ json.n }}'\"\n",
            TemplateError,
            "step1.params.soql: the query text is not a template; bind values as :name and give "
            "them in params.binds (they are escaped by type there)",
        ),
        (
            "t.yaml",
            "action: create_task\nparams:\n  subject: 'x\n\n    {{ json.x '\n  description: d\n",
            TemplateError,
            "step1.params.subject: expected '}}', found end of file at line 2, column 1",
        ),
    ],
)
def test_file_mistakes(
    tmp_path: Path, name: str, text: str, error: type[Exception], message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(error) as caught:
        load_actions(path)
    assert str(caught.value) == message.replace("{d}", str(tmp_path))


def test_missing_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(ActionFileError) as caught:
        load_actions(tmp_path / "none.yaml")
    assert (
        str(caught.value)
        == f"cannot read action file {tmp_path}/none.yaml: No such file or directory"
    )
    big = tmp_path / "big.yaml"
    big.write_text("#" * 1_000_001)
    with pytest.raises(ActionFileError) as caught:
        load_actions(big)
    assert str(caught.value) == f"{big}: larger than 1,000,000 bytes"


def test_examples_load(tmp_path: Path) -> None:
    root = Path(__file__).parents[2] / "examples"
    names = {p.name: [s.name for s in load_actions(p).steps] for p in sorted(root.glob("*.yaml"))}
    assert names == {
        "next_step_update.yaml": ["find_deal", "next_step", "log_meeting"],
        "opportunity_stage_update.yaml": ["update_stage"],
        "post_meeting_tasks.yaml": ["create_tasks"],
    }
