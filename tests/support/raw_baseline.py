"""The ONE "raw pydantic model of the same shape", shared by both validation benches.

``raw_model(model, meta)`` builds, for an sfschema Create/Update model, the model a careful
developer would write by hand with pydantic's standard types only:

* the same fields, the same names/aliases, the same required/optional/nullable split and defaults
  (taken from the sfschema model itself, so the shapes cannot drift apart), ``extra="forbid"``;
* each field typed with the nearest standard pydantic constraint of its describe type:

  ==========================  ====================================================================
  id, reference               ``Annotated[str, StringConstraints(max_length=18, pattern=15/18
                              letters and digits)]`` (no checksum, no key prefix)
  text types, open picklist,  ``Annotated[str, StringConstraints(max_length=length)]``
  combobox, multipicklist
  restricted picklist         ``Literal[<active values>]``
  double, currency, percent   ``Annotated[Decimal, Field(max_digits=precision,
                              decimal_places=scale, allow_inf_nan=False)]``
  int, long                   ``Annotated[int, Field(gt=-10**digits, lt=10**digits)]``
  boolean                     ``StrictBool``
  date / datetime / time      ``date`` / ``AwareDatetime`` / ``time``
  base64                      ``str``
  ==========================  ====================================================================

The work measured for a model (``payload_of``) is what a workflow does with it: validate the
values, then dump the JSON payload (``mode="json", exclude_unset=True, by_alias=True``), both
through pydantic-core directly, for every model alike. The raw model dumps a Decimal as
pydantic's JSON string and runs no Python function anywhere: that is the raw cost.

``opportunity_updates`` / ``task_creates`` build realistic valid inputs: values as a workflow
sends them (ISO text for dates and datetimes, JSON numbers, 15- and 18-character ids), 3-8 fields
a record, and ids either drawn from pools (a workflow touching the same accounts, contacts and
owners again and again) or all distinct (every id seen once, so no cache can help; each run gets
ids no other run has seen).

Timing (``best_cpu_seconds``): CPU time of the process, garbage collector off (as ``timeit``),
best of interleaved rounds.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    create_model,
)

from sfschema import ids
from sfschema.runtime.meta import FieldMeta, ObjectMeta

ID_PATTERN = r"^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$"
RawId = Annotated[str, StringConstraints(max_length=18, pattern=ID_PATTERN)]
TEXT_TYPES = frozenset(
    {"string", "textarea", "phone", "email", "url", "encryptedstring", "combobox", "picklist"}
)


def raw_type(described: FieldMeta) -> Any:
    """The nearest standard pydantic type of one field (see the module docstring)."""
    kind = described.type
    if kind in ("id", "reference"):
        return RawId
    if kind == "picklist" and described.restricted and described.values:
        return Literal[tuple(dict.fromkeys(described.values))]
    if kind in TEXT_TYPES or kind == "multipicklist":
        if described.length > 0:
            return Annotated[str, StringConstraints(max_length=described.length)]
        return str
    if kind in ("double", "currency", "percent"):
        if described.precision > 0:
            return Annotated[
                Decimal,
                Field(
                    max_digits=described.precision,
                    decimal_places=described.scale,
                    allow_inf_nan=False,
                ),
            ]
        return Annotated[Decimal, Field(allow_inf_nan=False)]
    if kind in ("int", "long"):
        digits = described.digits or described.precision
        if digits > 0:
            return Annotated[int, Field(gt=-(10**digits), lt=10**digits)]
        return int
    simple: dict[str, Any] = {
        "boolean": StrictBool,
        "date": dt.date,
        "datetime": AwareDatetime,
        "time": dt.time,
        "base64": str,
    }
    return simple.get(kind, Any)


def raw_model(model: type[BaseModel], meta: ObjectMeta) -> type[BaseModel]:
    """The raw pydantic model of the same shape as an sfschema Create/Update ``model``."""
    definitions: dict[str, Any] = {}
    for attribute, info in model.model_fields.items():
        wire = info.alias if isinstance(info.alias, str) else attribute
        described = meta.field(wire)
        assert described is not None, wire
        python = raw_type(described)
        alias = {"alias": info.alias} if info.alias else {}
        if info.is_required():
            definitions[attribute] = (python, Field(**alias))
        elif described.nillable:
            definitions[attribute] = (python | None, Field(None, **alias))
        else:  # may be left out, may not be None
            definitions[attribute] = (python, Field(None, **alias))
    config = ConfigDict(extra="forbid", populate_by_name=True, protected_namespaces=())
    return create_model(f"Raw{model.__name__}", __config__=config, **definitions)


def payload_of(model: type[BaseModel]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The unit of work measured for a model: validate, then the JSON payload.

    pydantic-core is called directly (as sfschema's validator validates), so no model pays for
    ``model_validate``/``model_dump``'s Python wrappers; ``payload_via_api`` is the usual spelling.
    """
    model.model_rebuild()
    validate = model.__pydantic_validator__.validate_python
    dump = model.__pydantic_serializer__.to_python

    def run(values: dict[str, Any]) -> dict[str, Any]:
        payload: dict[str, Any] = dump(
            validate(values), mode="json", exclude_unset=True, by_alias=True
        )
        return payload

    return run


def payload_via_api(model: type[BaseModel]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """``payload_of`` through ``model_validate(values).model_dump(...)``."""

    def run(values: dict[str, Any]) -> dict[str, Any]:
        return model.model_validate(values).model_dump(
            mode="json", exclude_unset=True, by_alias=True
        )

    return run


def best_cpu_seconds(runs: dict[str, Callable[[int], float]], rounds: int) -> dict[str, float]:
    """The least CPU time of each run over ``rounds`` rounds, the runs interleaved in each round
    (so a busy neighbour on the machine slows all of them alike). A run gets the round number
    (to build records no other run has seen) and returns the CPU seconds of its timed part."""
    best = {label: float("inf") for label in runs}
    for round_number in range(rounds):
        for index, (label, run) in enumerate(runs.items()):
            best[label] = min(best[label], run(round_number * len(runs) + index))
    return best


def cpu_seconds(work: Callable[[], object]) -> float:
    """CPU seconds of one call (process time: other processes on the machine do not count),
    with the cyclic garbage collector off, as ``timeit`` does."""
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        work()
        return time.process_time() - started
    finally:
        gc.enable()


# -- workloads ----------------------------------------------------------------------------------

STAGES = ("Prospecting", "Qualification", "Proposal/Price Quote", "Closed Won", "Closed Lost")
FORECASTS = ("Omitted", "Pipeline", "Best Case", "Commit", "Closed")
LEAD_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Other")
STATUSES = ("Not Started", "In Progress", "Completed")
PRIORITIES = ("High", "Normal", "Low")
POOL_SIZE = 1000
_RUN_SPAN = 10**7  # distinct ids of one run never meet another run's


class _Ids:
    """Ids of some key prefixes: from a pool of POOL_SIZE each, or a new one every time."""

    def __init__(self, rng: random.Random, prefixes: str, pooled: bool, run: int) -> None:
        self.rng, self.prefixes, self.pooled = rng, prefixes.split(), pooled
        self.serial = run * _RUN_SPAN

    def __call__(self) -> str:
        if self.pooled:
            number = self.rng.randrange(POOL_SIZE)
        else:
            self.serial += 1
            number = self.serial
        made = ids.make_id(self.rng.choice(self.prefixes), number)
        # Ids as workflows carry them: mostly 18 characters, some 15 (copied from the UI).
        return made[:15] if number % 4 == 0 else made


def _amount(rng: random.Random) -> Any:
    cents = rng.randrange(1, 10**9)
    return cents // 100 if cents % 5 == 0 else cents / 100  # JSON numbers: int or float


def _day(rng: random.Random) -> str:
    return (dt.date(2024, 1, 1) + dt.timedelta(rng.randrange(700))).isoformat()


def _moment(rng: random.Random) -> str:
    """ISO 8601 text with an offset, as JSON carries datetimes: UTC or a local offset."""
    zone = dt.UTC if rng.random() < 0.5 else dt.timezone(dt.timedelta(hours=rng.choice((-5, 1))))
    start = dt.datetime(2024, 1, 1, 9, tzinfo=zone)
    return (start + dt.timedelta(minutes=15 * rng.randrange(60_000))).isoformat()


def opportunity_updates(count: int, pooled: bool, run: int = 0) -> list[tuple[str, dict[str, Any]]]:
    """(record id, field values) of valid Opportunity updates, 3-8 fields each.

    ``pooled``: record, account and owner ids come from pools of POOL_SIZE; otherwise every id
    is new, and ids of different ``run`` numbers never meet.
    """
    rng = random.Random(7 if pooled else 7 + run)
    record, account = _Ids(rng, "006", pooled, run), _Ids(rng, "001", pooled, run)
    owner = _Ids(rng, "005", pooled, run)
    makers: dict[str, Callable[[], Any]] = {
        "StageName": lambda: rng.choice(STAGES),
        "Amount": lambda: _amount(rng),
        "CloseDate": lambda: _day(rng),
        "Probability": lambda: rng.randrange(0, 101),
        "NextStep": lambda: rng.choice(("Call back", "Send quote", "Demo", "Contract review")),
        "Description": lambda: "Notes from the call. " * rng.randrange(1, 12),
        "AccountId": account,
        "OwnerId": owner,
        "ForecastCategoryName": lambda: rng.choice(FORECASTS),
        "LeadSource": lambda: rng.choice(LEAD_SOURCES),
        "IsPrivate": lambda: rng.random() < 0.2,
        "Name": lambda: f"Deal {rng.randrange(10**6)}",
    }
    names = sorted(makers)
    return [
        (record(), {name: makers[name]() for name in rng.sample(names, rng.randrange(3, 9))})
        for _ in range(count)
    ]


def task_creates(count: int, pooled: bool, run: int = 0) -> list[dict[str, Any]]:
    """Valid Task creates: a subject and 2-7 more fields (ids as in ``opportunity_updates``)."""
    rng = random.Random(11 if pooled else 11 + run)
    what = _Ids(rng, "006 001", pooled, run)
    who, owner = _Ids(rng, "003 00Q", pooled, run), _Ids(rng, "005", pooled, run)
    makers: dict[str, Callable[[], Any]] = {
        "WhatId": what,
        "WhoId": who,
        "OwnerId": owner,
        "ActivityDate": lambda: _day(rng),
        "Status": lambda: rng.choice(STATUSES),
        "Priority": lambda: rng.choice(PRIORITIES),
        "Description": lambda: "Follow-up notes. " * rng.randrange(1, 12),
        "ReminderDateTime": lambda: _moment(rng),
        "IsReminderSet": lambda: rng.random() < 0.5,
    }
    names = sorted(makers)
    return [
        {
            "Subject": f"Follow up {rng.randrange(10**6)}",
            **{name: makers[name]() for name in rng.sample(names, rng.randrange(2, 8))},
        }
        for _ in range(count)
    ]
