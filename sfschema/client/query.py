"""A query's rows, fetched page by page as they are consumed.

Salesforce answers a query with up to ``batchSize`` rows (default 2,000, at least 200) and a
``nextRecordsUrl`` for the rest; a child subquery's rows come nested in each parent row with a
``nextRecordsUrl`` of their own when there are more. ``QueryResult`` follows both, so every row
and every child row arrives, without holding more than one page (or one chain of pages) in
memory. With ``chain_pages`` up to five page fetches ride in one ``/composite`` request (one API
call), each after the first referring to the previous page's ``@{ref.nextRecordsUrl}``.

Sources: "Query", "QueryAll", "Query Options Header", "Composite" (REST API Developer Guide).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from sfschema.client.errors import api_error
from sfschema.client.wire import Wire
from sfschema.errors import SfschemaError
from sfschema.soql.ast import Call, Query, SelectExpr, SubQuery
from sfschema.soql.compiler import render

MIN_BATCH, MAX_BATCH, DEFAULT_BATCH = 200, 2000, 2000
CHAINED_PAGES = 5  # query subrequests allowed in one /composite request


def check_batch_size(batch_size: int | None) -> int | None:
    """The batch size, or SfschemaError naming the allowed range."""
    if batch_size is None:
        return None
    if type(batch_size) is not int or not MIN_BATCH <= batch_size <= MAX_BATCH:
        raise SfschemaError(
            f"batch_size={batch_size!r}: Salesforce takes {MIN_BATCH} to {MAX_BATCH} rows a "
            "page (Sforce-Query-Options: batchSize); give a number in that range"
        )
    return batch_size


def check_max_records(max_records: int | None) -> int | None:
    if max_records is None:
        return None
    if type(max_records) is not int or max_records < 1:
        raise SfschemaError(f"max_records={max_records!r}: give a whole number of 1 or more")
    return max_records


class QueryResult(Iterator[Any]):
    """The rows of one query: dicts without ``attributes`` (parents as nested dicts, child
    relationships as lists), or model instances when a model was given.

    ``pages`` counts the pages fetched so far (child pages included), ``api_calls`` the calls
    they cost, ``total_size`` is Salesforce's ``totalSize`` once the first page is in.
    """

    def __init__(
        self,
        wire: Wire,
        query: Query,
        *,
        include_deleted: bool = False,
        batch_size: int | None = None,
        max_records: int | None = None,
        model: Any = None,
        chain_pages: bool = False,
    ) -> None:
        self.wire = wire
        self.query = query
        self.soql = render(query)
        self.include_deleted = include_deleted
        self.batch_size = check_batch_size(batch_size)
        self.max_records = check_max_records(max_records)
        self.model = model
        self.chain_pages = chain_pages
        self.pages = 0
        self.api_calls = 0
        self.rows = 0
        self.total_size: int | None = None
        self.truncated = False  # stopped at max_records with rows left
        self._children = {
            item.query.from_.path[-1].lower() for item in query.select if isinstance(item, SubQuery)
        }
        self._rows: Iterator[Any] | None = None

    # -- the iterator --------------------------------------------------------------------------

    def __iter__(self) -> QueryResult:
        return self

    def __next__(self) -> Any:
        if self._rows is None:
            self._rows = self._generate()
        return next(self._rows)

    def count(self) -> int:
        """How many rows the query matches: one ``SELECT COUNT()`` call, no rows fetched."""
        if self.query.group_by is not None:
            raise SfschemaError("count() of a GROUP BY query: iterate it and count the groups")
        counting = dataclasses.replace(
            self.query,
            select=(SelectExpr(Call("COUNT", ())),),
            order_by=(),
            offset=None,
            for_=None,
            update=None,
        )
        path = self._resource() + "?q=" + quote(render(counting), safe="")
        before = self.wire.api_calls
        answer = self.wire.request("GET", path, what="query (count)")
        self.api_calls += self.wire.api_calls - before
        return int(_page(answer.body).get("totalSize", 0))

    # -- pages ---------------------------------------------------------------------------------

    def _resource(self) -> str:
        return "queryAll" if self.include_deleted else "query"

    def _headers(self) -> dict[str, str]:
        if self.batch_size is None:
            return {}
        return {"Sforce-Query-Options": f"batchSize={self.batch_size}"}

    def _get(self, path: str) -> dict[str, Any]:
        before = self.wire.api_calls
        answer = self.wire.request("GET", path, headers=self._headers(), what="query")
        self.api_calls += self.wire.api_calls - before
        self.pages += 1
        return _page(answer.body)

    def _first_path(self) -> str:
        return self._resource() + "?q=" + quote(self.soql, safe="")

    def _generate(self) -> Iterator[Any]:
        next_path: str | None = self._first_path()
        while next_path is not None:
            pages = self._chain(next_path) if self.chain_pages else [self._get(next_path)]
            next_path = None
            for page in pages:
                if self.total_size is None:
                    self.total_size = int(page.get("totalSize", 0))
                records = page.get("records") or []
                for record in records:
                    if type(record) is not dict:
                        raise SfschemaError("query: a record in the answer is not a JSON object")
                    if self.max_records is not None and self.rows >= self.max_records:
                        self.truncated = True
                        return
                    self.rows += 1
                    row = self._clean(record, top=True)
                    yield self.model.model_validate(row) if self.model is not None else row
                next_path = None if page.get("done", True) else page.get("nextRecordsUrl")
        if self.max_records is not None and self.rows >= self.max_records:
            self.truncated = bool(self.total_size and self.total_size > self.rows)

    def _chain(self, first: str) -> list[dict[str, Any]]:
        """Up to five pages in one /composite call: the first by URL, the rest by reference."""
        wanted = CHAINED_PAGES
        if self.max_records is not None:
            per_page = self.batch_size or DEFAULT_BATCH
            left = self.max_records - self.rows
            wanted = max(1, min(CHAINED_PAGES, -(-left // per_page)))
        headers = self._headers()
        url = first if first.startswith("/") else self.wire.data_path(first)
        subrequests: list[dict[str, Any]] = []
        for index in range(wanted):
            item: dict[str, Any] = {
                "method": "GET",
                "url": url if index == 0 else f"@{{page{index - 1}.nextRecordsUrl}}",
                "referenceId": f"page{index}",
            }
            if headers:
                item["httpHeaders"] = headers
            subrequests.append(item)
        before = self.wire.api_calls
        answer = self.wire.request(
            "POST",
            "composite",
            body={"allOrNone": False, "compositeRequest": subrequests},
            what="query (chained pages)",
        )
        self.api_calls += self.wire.api_calls - before
        entries = answer.body.get("compositeResponse") if isinstance(answer.body, dict) else None
        if not isinstance(entries, list) or not entries:
            raise SfschemaError("query: /composite answered without compositeResponse")
        pages: list[dict[str, Any]] = []
        for entry in entries:
            status = int(entry.get("httpStatusCode", 0))
            if status != 200:
                raise api_error(status, entry.get("body"), "query")
            page = _page(entry.get("body"))
            pages.append(page)
            self.pages += 1
            if page.get("done", True):
                break
        return pages

    # -- records -------------------------------------------------------------------------------

    def _clean(self, record: dict[str, Any], top: bool = False) -> dict[str, Any]:
        """A record without ``attributes``; child results become complete lists of rows."""
        out: dict[str, Any] = {}
        for key, item in record.items():
            if key == "attributes":
                continue
            if type(item) is dict:  # a parent record, or a child relationship's result
                if "attributes" not in item and isinstance(item.get("records"), list):
                    item = self._child_rows(item)
                else:
                    item = self._clean(item)
            elif item is None and top and self._children and key.lower() in self._children:
                item = []  # Salesforce sends null for a child relationship without rows
            out[key] = item
        return out

    def _child_rows(self, result: dict[str, Any]) -> list[Any]:
        rows = [
            self._clean(record) for record in result.get("records") or [] if type(record) is dict
        ]
        while not result.get("done", True) and result.get("nextRecordsUrl"):
            result = self._get(str(result["nextRecordsUrl"]))
            rows.extend(
                self._clean(record)
                for record in result.get("records") or []
                if type(record) is dict
            )
        return rows


def _page(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or not isinstance(body.get("records", []), list):
        raise SfschemaError("query: the answer is not a query result (no records list)")
    return body
