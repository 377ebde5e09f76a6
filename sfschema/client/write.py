"""Writes of many records: validated first, sent 1,000 to an API call, retried only where safe.

Each input record is validated against the org's schema; an invalid one is not sent and comes
back ``rejected`` with its ValidationReport. The valid ones go as sObject Collections of 200
records, five collections in one ``/composite`` request (one API call per 1,000 records).
Each record's answer becomes its WriteResult, in input order:

* ``succeeded`` — its id (and ``created`` for upserts);
* ``failed`` — Salesforce's errors for that record (status code, message, fields);
* ``unknown`` — a create whose answer was lost (timeout, 5xx): it may exist, so it is not sent
  again; upsert by an external id field to retry such records safely.

Rows refused with UNABLE_TO_LOCK_ROW are sent again — only those rows — in the next request,
after a backoff. Updates, upserts and deletes whose request got no answer are sent again (that
cannot write twice); creates are not.

Sources: "sObject Collections", "Composite" (REST API Developer Guide).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from dataclasses import dataclass
from typing import Any, Literal

from sfschema.client.errors import ApiBudgetExceeded, RequestLimitExceeded
from sfschema.client.wire import OutcomeUnknown, Wire
from sfschema.errors import AuthenticationError, SalesforceApiError
from sfschema.salesforce_errors import (
    ALL_OR_NONE_OPERATION_ROLLED_BACK,
    OUTCOME_UNKNOWN,
    PROCESSING_HALTED,
    REQUIRED_FIELD_MISSING,
    RETRYABLE_RECORD_CODES,
    WireError,
    outcome_unknown,
    parse_error_array,
    required_fields_missing,
)
from sfschema.validate import RecordValidator, ValidationIssue, ValidationReport

COLLECTION_SIZE = 200  # records per sObject Collections request
COLLECTIONS_PER_CALL = 5  # collection subrequests per /composite request
CALL_SIZE = COLLECTION_SIZE * COLLECTIONS_PER_CALL

Outcome = Literal["succeeded", "rejected", "failed", "unknown"]
Operation = Literal["create", "update", "upsert", "delete"]
_ROLLBACK_CODES = frozenset({ALL_OR_NONE_OPERATION_ROLLED_BACK, PROCESSING_HALTED})


@dataclass(frozen=True)
class WriteResult:
    """What happened to one input record (``index`` is its position in the input)."""

    index: int
    outcome: Outcome
    id: str | None = None
    created: bool | None = None
    report: ValidationReport | None = None
    errors: tuple[WireError, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome == "succeeded"

    def to_json(self) -> dict[str, Any]:
        """JSON-safe: the outcome, id, created flag, errors and (when rejected) the report."""
        return {
            "index": self.index,
            "outcome": self.outcome,
            "id": self.id,
            "created": self.created,
            "errors": [
                {"statusCode": e.error_code, "message": e.message, "fields": list(e.fields or ())}
                for e in self.errors
            ],
            "report": self.report.to_json() if self.report is not None else None,
        }


@dataclass
class _Row:
    index: int
    item: Any  # the record payload, or the id to delete
    attempts: int = 0


class Writer:
    """One write job: an operation on one object for any number of records."""

    def __init__(
        self,
        wire: Wire,
        validator: RecordValidator,
        object_name: str,
        operation: Operation,
        *,
        external_id_field: str | None = None,
        all_or_none: bool = False,
        strict: bool = False,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.wire = wire
        self.validator = validator
        self.object_name = object_name
        self.operation = operation
        self.external_id_field = external_id_field
        self.all_or_none = all_or_none
        self.strict = strict
        self.on_progress = on_progress
        self.results: list[WriteResult | None] = []
        self._retries: deque[_Row] = deque()

    # -- the job -------------------------------------------------------------------------------

    def run(self, records: Iterable[Any]) -> list[WriteResult]:
        if isinstance(records, Sized):  # a job whose size is known is refused whole, up front
            calls = -(-len(records) // CALL_SIZE)
            self.wire.check_budget(calls, f"{self.operation} of {len(records)} record(s)")
        source = iter(records)
        exhausted = False
        while True:
            batch = [self._retries.popleft() for _ in range(min(len(self._retries), CALL_SIZE))]
            retried = max((row.attempts for row in batch), default=0)
            while len(batch) < CALL_SIZE and not exhausted:
                row = self._next_valid(source)
                if row is None:
                    exhausted = True
                else:
                    batch.append(row)
            if not batch:
                break
            if retried:
                self.wire.retry.wait(retried - 1)
            self._send(batch)
        return [result for result in self.results if result is not None]

    def _next_valid(self, source: Iterator[Any]) -> _Row | None:
        """The next record that passes validation (the rejected ones get their result)."""
        for values in source:
            index = len(self.results)
            self.results.append(None)
            row = self._validate(index, values)
            if row is not None:
                return row
            self._progress()
        return None

    def _progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(1)

    def _set(self, index: int, result: WriteResult) -> None:
        self.results[index] = result
        self._progress()

    # -- validation ----------------------------------------------------------------------------

    def _validate(self, index: int, values: Any) -> _Row | None:
        op = self.operation
        if op == "create":
            report = self.validator.create(values, strict=self.strict)
            item: Any = report.payload
        elif op == "upsert":
            report = self._upsert_report(values)
            item = report.payload
        else:
            if op == "delete":
                record_id, rest = values, {}
            elif isinstance(values, Mapping):
                rest = dict(values)
                record_id = rest.pop("Id", rest.pop("id", None))
            else:
                record_id, rest = None, values
            report = self.validator.update(record_id, rest, strict=self.strict)
            item = (
                report.record_id if op == "delete" else {"Id": report.record_id, **report.payload}
            )
        if not report.ok:
            self._set(index, WriteResult(index, "rejected", report=report))
            return None
        return _Row(index, item)

    def _upsert_report(self, values: Any) -> ValidationReport:
        """An upsert may create the record: it is validated as a create, and it must carry
        the external id field."""
        report = self.validator.create(values, strict=self.strict)
        field = str(self.external_id_field)
        given = isinstance(values, Mapping) and values.get(field) not in (None, "")
        if given:
            return report
        issue = ValidationIssue(
            field,
            REQUIRED_FIELD_MISSING,
            required_fields_missing(field),
            hint=f"an upsert by {field} needs its value in every record",
        )
        return ValidationReport(
            report.object_name,
            report.operation,
            errors=(issue, *report.errors),
            warnings=report.warnings,
        )

    # -- sending -------------------------------------------------------------------------------

    def _subrequest(self, number: int, rows: list[_Row]) -> dict[str, Any]:
        wire = self.wire
        flag = "true" if self.all_or_none else "false"
        if self.operation == "delete":
            ids = ",".join(str(row.item) for row in rows)
            url = wire.data_path(f"composite/sobjects?ids={ids}&allOrNone={flag}")
            return {"method": "DELETE", "url": url, "referenceId": f"rows{number}"}
        records = [{"attributes": {"type": self.object_name}, **row.item} for row in rows]
        if self.operation == "upsert":
            rest = f"composite/sobjects/{self.object_name}/{self.external_id_field}"
        else:
            rest = "composite/sobjects"
        return {
            "method": "POST" if self.operation == "create" else "PATCH",
            "url": wire.data_path(rest),
            "referenceId": f"rows{number}",
            "body": {"allOrNone": self.all_or_none, "records": records},
        }

    def _send(self, batch: list[_Row]) -> None:
        chunks = [batch[i : i + COLLECTION_SIZE] for i in range(0, len(batch), COLLECTION_SIZE)]
        body = {
            "allOrNone": self.all_or_none,
            "compositeRequest": [self._subrequest(n, rows) for n, rows in enumerate(chunks)],
        }
        for row in batch:
            row.attempts += 1
        try:
            answer = self.wire.request(
                "POST",
                "composite",
                body=body,
                idempotent=self.operation != "create",
                what=f"{self.operation} {self.object_name}",
            )
        except OutcomeUnknown as exc:
            self._unknown(batch, exc.error)
            return
        except RequestLimitExceeded as exc:
            error = WireError(exc.error_code, exc.message, exc.status)
            for row in (*batch, *self._retries):
                self._set(row.index, WriteResult(row.index, "failed", errors=(error,)))
            self._retries.clear()
            exc.results = [result for result in self.results if result is not None]
            raise
        except ApiBudgetExceeded as exc:  # nothing of this batch was sent
            exc.results = [result for result in self.results if result is not None]
            raise
        except AuthenticationError:
            raise
        except SalesforceApiError as exc:  # the whole request refused: each row keeps the error
            error = WireError(exc.error_code, exc.message, exc.status, tuple(exc.fields) or None)
            for row in batch:
                self._set(row.index, WriteResult(row.index, "failed", errors=(error,)))
            return
        entries = answer.body.get("compositeResponse") if isinstance(answer.body, dict) else None
        if not isinstance(entries, list) or len(entries) != len(chunks):
            self._unknown(batch, WireError(OUTCOME_UNKNOWN, "/composite answered out of shape"))
            return
        outcomes: list[tuple[_Row, WriteResult]] = []
        for rows, entry in zip(chunks, entries, strict=True):
            outcomes.extend(self._collection(rows, entry))
        self._settle(outcomes)

    def _collection(self, rows: list[_Row], entry: Any) -> list[tuple[_Row, WriteResult]]:
        status = int(entry.get("httpStatusCode", 0)) if isinstance(entry, dict) else 0
        body = entry.get("body") if isinstance(entry, dict) else None
        if status >= 500 or (status == 200 and not isinstance(body, list)):
            error = parse_error_array(body, status)[0]
            if self.operation == "create":
                return [(row, self._unknown_result(row, error)) for row in rows]
            return [(row, WriteResult(row.index, "failed", errors=(error,))) for row in rows]
        if status != 200 or not isinstance(body, list) or len(body) != len(rows):
            errors = tuple(parse_error_array(body, status))
            return [(row, WriteResult(row.index, "failed", errors=errors)) for row in rows]
        out = []
        for row, item in zip(rows, body, strict=True):
            if isinstance(item, dict) and item.get("success"):
                created = item.get("created")
                result = WriteResult(
                    row.index,
                    "succeeded",
                    id=str(item["id"]) if item.get("id") else None,
                    created=created if isinstance(created, bool) else None,
                )
            else:
                items = item.get("errors") if isinstance(item, dict) else None
                result = WriteResult(
                    row.index, "failed", errors=tuple(parse_error_array(items, 200))
                )
            out.append((row, result))
        return out

    def _settle(self, outcomes: list[tuple[_Row, WriteResult]]) -> None:
        """Final results are kept; rows refused for a lock (or rolled back with one) retry."""
        codes = {r.errors[0].error_code for _, r in outcomes if r.outcome == "failed" and r.errors}
        retryable = RETRYABLE_RECORD_CODES | (_ROLLBACK_CODES if self.all_or_none else set())
        lock_only = bool(codes & RETRYABLE_RECORD_CODES) and codes <= retryable
        resend_lost = self.operation != "create"  # sending again cannot write twice
        for row, result in outcomes:
            first = result.errors[0] if result.errors else None
            code = first.error_code if first else None
            lost = first is not None and (first.status or 0) >= 500
            again = result.outcome == "failed" and (
                code in RETRYABLE_RECORD_CODES
                or (lock_only and code in _ROLLBACK_CODES)
                or (lost and resend_lost)
            )
            if again and row.attempts <= self.wire.retry.attempts:
                self._retries.append(row)
            else:
                self._set(row.index, result)

    def _unknown_result(self, row: _Row, error: WireError) -> WriteResult:
        reason = f"{error.error_code} (HTTP {error.status})" if error.status else error.message
        lost = WireError(OUTCOME_UNKNOWN, outcome_unknown(reason), error.status)
        return WriteResult(row.index, "unknown", errors=(lost,))

    def _unknown(self, batch: list[_Row], error: WireError) -> None:
        if self.operation != "create":  # cannot happen: only creates are not idempotent
            for row in batch:
                self._set(row.index, WriteResult(row.index, "failed", errors=(error,)))
            return
        for row in batch:
            self._set(row.index, self._unknown_result(row, error))
