"""sfschema: Salesforce schema toolkit for workflow automation.

Pull an org's describes once (``DescribeCache``), then validate field values
(``validate_update`` / ``validate_create``), build and check SOQL (``soql``, ``select``), and
generate typed models — before any API call is spent. ``Emulator`` is an offline,
Salesforce-compatible org for demos and tests.

Names load lazily, so ``import sfschema`` (and generated code importing ``sfschema.runtime``)
stays cheap.

>>> import sfschema
>>> sfschema.OrgSchema.demo().field("Opportunity", "StageName").label
'Stage'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sfschema.describe.cache import DescribeCache
    from sfschema.emulator import Emulator
    from sfschema.errors import (
        DescribeError,
        RecordValidationError,
        SalesforceApiError,
        SfschemaError,
        SoqlError,
    )
    from sfschema.schema import OrgSchema
    from sfschema.soql import field, select, soql
    from sfschema.validate import (
        ValidationReport,
        ensure_valid_create,
        ensure_valid_update,
        validate_create,
        validate_update,
    )

_EXPORTS: dict[str, str] = {
    "DescribeCache": "sfschema.describe.cache",
    "DescribeError": "sfschema.errors",
    "Emulator": "sfschema.emulator",
    "OrgSchema": "sfschema.schema",
    "RecordValidationError": "sfschema.errors",
    "SalesforceApiError": "sfschema.errors",
    "SfschemaError": "sfschema.errors",
    "SoqlError": "sfschema.errors",
    "ValidationReport": "sfschema.validate",
    "ensure_valid_create": "sfschema.validate",
    "ensure_valid_update": "sfschema.validate",
    "field": "sfschema.soql",
    "select": "sfschema.soql",
    "soql": "sfschema.soql",
    "validate_create": "sfschema.validate",
    "validate_update": "sfschema.validate",
}

__all__ = [
    "DescribeCache",
    "DescribeError",
    "Emulator",
    "OrgSchema",
    "RecordValidationError",
    "SalesforceApiError",
    "SfschemaError",
    "SoqlError",
    "ValidationReport",
    "ensure_valid_create",
    "ensure_valid_update",
    "field",
    "select",
    "soql",
    "validate_create",
    "validate_update",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sfschema' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
