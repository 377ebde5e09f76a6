"""Workflow actions: Liquid-templated steps that create Tasks and update records, checked first.

``load_actions(path)`` reads a YAML/JSON action file; ``Workflow.check(schema)`` lists the context
paths each template reads and validates every static part; ``Workflow.run(client, context)``
renders each item, validates it against the org and sends the valid ones in batched writes.
Step by step: ``step.render(context)`` → ``.validate(schema)`` (a ``RenderedStep``).
"""

from sfschema.actions.liquid import ActionEnvironment, TemplateError
from sfschema.actions.run import ItemResult, RunResult, StaticCheck, Workflow, load_actions
from sfschema.actions.spec import ACTIONS, ActionFileError
from sfschema.actions.steps import RenderedStep, Step

__all__ = [
    "ACTIONS",
    "ActionEnvironment",
    "ActionFileError",
    "ItemResult",
    "RenderedStep",
    "RunResult",
    "StaticCheck",
    "Step",
    "TemplateError",
    "Workflow",
    "load_actions",
]
