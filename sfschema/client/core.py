"""``Client``: queries and writes checked against the org's schema before they cost a call.

The schema is described on demand (through the describe cache) and every record is validated
against it before it is sent (README "Client" shows queries and writes):

>>> client = Client.demo()
>>> client.describe("Opportunity").field("Opportunity", "StageName").type
'picklist'
>>> client.validator("Task").create({"Subject": "Call", "Priorty": "High"}).errors[0].suggestion
'Priority'
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from simple_salesforce.api import Salesforce

from sfschema.client.query import QueryResult, check_batch_size, check_max_records
from sfschema.client.refresh import OAuthRefresh, refresher_from_env
from sfschema.client.session import (
    FALLBACK_LABEL,
    SalesforceTransport,
    connect_emulator,
    connect_env,
)
from sfschema.client.wire import DEFAULT_TIMEOUT, Refresher, RetryPolicy, Wire
from sfschema.client.write import Operation, Writer, WriteResult
from sfschema.describe.cache import DescribeCache
from sfschema.errors import DescribeError, SfschemaError, SnapshotError
from sfschema.schema import OrgSchema
from sfschema.soql.ast import Query
from sfschema.soql.builder import Select
from sfschema.soql.check import check_or_raise
from sfschema.soql.org_schema import schema_for
from sfschema.soql.params import bind, require_names
from sfschema.soql.parser import parse
from sfschema.validate import RecordValidator, record_validator

if TYPE_CHECKING:
    from sfschema.emulator import Emulator

DEMO_CLIENT_ID = "sfschema"


class Client:
    """Talks to one org as one user: every query and write is validated against the org's
    schema (described on demand, through a describe cache) before it is sent."""

    def __init__(
        self,
        sf: Salesforce,
        *,
        refresher: Refresher | None = None,
        max_calls: int | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        cache_dir: str | os.PathLike[str] | None = None,
        emulator: Emulator | None = None,
        label: str = "",
    ) -> None:
        self.sf = sf
        self.wire = Wire(sf, timeout=timeout, refresher=refresher, retry=retry, max_calls=max_calls)
        self.transport = SalesforceTransport(sf, wire=self.wire)
        self.emulator = emulator
        self.label = label or f"https://{sf.sf_instance}"
        self._cache_dir = cache_dir
        self._cache: DescribeCache | None = None
        self._described: dict[str, Any] = {}
        self._schema: OrgSchema | None = None

    # -- construction --------------------------------------------------------------------------

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Client:
        """From ``SF_*`` variables (see ``session.connect_env``); the session refreshes with
        ``SF_REFRESH_TOKEN`` + ``SF_CLIENT_ID`` or by logging in again with
        ``SF_USERNAME``/``SF_PASSWORD``."""
        connection = connect_env(environ)
        if connection is None:
            raise SfschemaError(
                "no SF_* credentials set: set SF_INSTANCE_URL and SF_ACCESS_TOKEN (or "
                "SF_USERNAME and SF_PASSWORD), or use the demo org (--org demo)"
            )
        options.setdefault("refresher", refresher_from_env(environ))
        return cls(connection.sf, label=connection.label, **options)

    @classmethod
    def demo(cls, **options: Any) -> Client:
        """The built-in demo org in a fresh in-process emulator (``client.emulator``)."""
        from sfschema.emulator import Emulator

        return cls.for_emulator(Emulator.demo(), **options)

    @classmethod
    def for_emulator(cls, emulator: Emulator, **options: Any) -> Client:
        """A client of an in-process emulator; its session refreshes with a refresh token."""
        sf = connect_emulator(emulator).sf
        options.setdefault(
            "refresher",
            OAuthRefresh(
                emulator.instance_url + "/services/oauth2/token",
                DEMO_CLIENT_ID,
                emulator.refresh_token_for(),
            ),
        )
        options.setdefault("label", "demo")
        return cls(sf, emulator=emulator, **options)

    @classmethod
    def connect(cls, org: str | None, **options: Any) -> Client:
        """``"demo"``, ``"env"`` (SF_* variables) or None (SF_* if set, else the demo org:
        ``label`` then says so)."""
        if org == "demo":
            return cls.demo(**options)
        if org not in (None, "env"):
            raise SfschemaError(
                f"unknown org {org!r}: use 'demo' or set SF_* environment variables"
            )
        if org is None and connect_env_is_empty():
            return cls.demo(label=FALLBACK_LABEL, **options)
        return cls.from_env(**options)

    # -- usage ---------------------------------------------------------------------------------

    @property
    def api_calls(self) -> int:
        """API calls this client spent (deltas of the org's count in Sforce-Limit-Info)."""
        return self.wire.api_calls

    @property
    def api_usage(self) -> tuple[int, int] | None:
        """(used, max) of the org's daily allowance, from the last Sforce-Limit-Info."""
        return self.wire.api_usage

    # -- schema --------------------------------------------------------------------------------

    @property
    def cache(self) -> DescribeCache:
        if self._cache is None:
            self._cache = DescribeCache(self.transport, self._cache_dir)
        return self._cache

    @property
    def schema(self) -> OrgSchema:
        """The org's schema as far as this client has described it (``describe`` adds)."""
        if self._schema is None:
            self._schema = self._rebuild()
        return self._schema

    def describe(self, *objects: str) -> OrgSchema:
        """The schema with these objects described (fetched or revalidated when needed)."""
        wanted = [name for name in objects if self.schema.resolve_name(name) is None]
        if wanted:
            for name in self.cache.sync(wanted).objects:
                self._described[name] = self.cache.describe(name)
            self._schema = self._rebuild()
        return self.schema

    def _rebuild(self) -> OrgSchema:
        try:
            global_raw = self.cache.store.read_global() if self._described else None
        except SnapshotError:
            global_raw = None
        return OrgSchema(dict(self._described), global_raw, source=self.label)

    def validator(self, object_name: str) -> RecordValidator:
        """The record validator of an object (its describe fetched when needed)."""
        schema = self.describe(object_name)
        return record_validator(schema, schema.sobject(object_name).name)

    # -- queries -------------------------------------------------------------------------------

    def prepare(self, query: Select | Query | str, params: Mapping[str, Any]) -> Query:
        """The query tree, bound and checked against the org: SoqlError before any call."""
        if isinstance(query, Select):
            tree = query.query
        elif isinstance(query, Query):
            tree = query
        elif isinstance(query, str):
            tree = parse(query, params=True)
        else:
            raise SfschemaError(
                f"query takes SOQL text, a builder query or a Query, not {type(query).__name__}"
            )
        require_names(tree, params)
        schema = schema_for(tree, self.cache, self.label)
        for name in schema.object_names:
            self._described.setdefault(name, schema.raw(name))
        self._schema = None
        tree = bind(tree, params, schema)
        check_or_raise(tree, schema)
        return tree

    def query(
        self,
        query: Select | Query | str,
        /,
        *,
        include_deleted: bool = False,
        batch_size: int | None = None,
        max_records: int | None = None,
        models: str | None = None,
        chain_pages: bool = False,
        **params: Any,
    ) -> QueryResult:
        """A lazy iterator of the query's rows (pages fetched as it is consumed).

        ``:name`` placeholders take ``params``; ``include_deleted`` uses queryAll;
        ``max_records`` stops after that many rows (only when asked); ``models`` (a generated
        package, e.g. ``"generated.demo"``) yields model instances; ``chain_pages`` fetches up
        to five pages per ``/composite`` call.
        """
        check_batch_size(batch_size)  # bad options cost nothing, not even a describe
        check_max_records(max_records)
        tree = self.prepare(query, params)
        model = None
        if models is not None:
            from codegen.build import generated_models

            model = generated_models(models, tree.from_.path[0]).read
        return QueryResult(
            self.wire,
            tree,
            include_deleted=include_deleted,
            batch_size=batch_size,
            max_records=max_records,
            model=model,
            chain_pages=chain_pages,
        )

    # -- writes --------------------------------------------------------------------------------

    def _writer(
        self,
        object_name: str,
        operation: Operation,
        external_id_field: str | None = None,
        **options: Any,
    ) -> Writer:
        validator = self.validator(object_name)
        name = validator.meta.name
        if external_id_field is not None:
            described = self.schema.field(name, external_id_field)
            if described is None or not (described.externalId or described.idLookup):
                keys = [f.name for f in self.schema.sobject(name).fields if f.externalId]
                raise DescribeError(
                    f"{name}.{external_id_field} is not an external id field: upsert by one of "
                    + (", ".join(keys) or "none: this object has no external id field")
                )
            external_id_field = described.name
        return Writer(
            self.wire, validator, name, operation, external_id_field=external_id_field, **options
        )

    def create_many(
        self,
        object_name: str,
        records: Iterable[Any],
        *,
        strict: bool = False,
        all_or_none: bool = False,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[WriteResult]:
        """Create records: one WriteResult per input, in input order."""
        writer = self._writer(
            object_name, "create", strict=strict, all_or_none=all_or_none, on_progress=on_progress
        )
        return writer.run(records)

    def update_many(
        self,
        object_name: str,
        records: Iterable[Mapping[str, Any]],
        *,
        strict: bool = False,
        all_or_none: bool = False,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[WriteResult]:
        """Update records (each carries its ``Id``): one WriteResult per input, in order."""
        writer = self._writer(
            object_name, "update", strict=strict, all_or_none=all_or_none, on_progress=on_progress
        )
        return writer.run(records)

    def upsert_many(
        self,
        object_name: str,
        external_id_field: str,
        records: Iterable[Mapping[str, Any]],
        *,
        strict: bool = False,
        all_or_none: bool = False,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[WriteResult]:
        """Upsert by an external id field (validated as creates): one WriteResult per input."""
        writer = self._writer(
            object_name,
            "upsert",
            external_id_field,
            strict=strict,
            all_or_none=all_or_none,
            on_progress=on_progress,
        )
        return writer.run(records)

    def delete_many(
        self,
        object_name: str,
        record_ids: Iterable[str],
        *,
        all_or_none: bool = False,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[WriteResult]:
        """Delete records by id: one WriteResult per input, in input order."""
        writer = self._writer(
            object_name, "delete", all_or_none=all_or_none, on_progress=on_progress
        )
        return writer.run(record_ids)

    def create(self, object_name: str, values: Any, *, strict: bool = False) -> WriteResult:
        return self.create_many(object_name, [values], strict=strict)[0]

    def update(
        self, object_name: str, record_id: str, values: Mapping[str, Any], *, strict: bool = False
    ) -> WriteResult:
        return self.update_many(object_name, [{**values, "Id": record_id}], strict=strict)[0]

    def upsert(
        self,
        object_name: str,
        external_id_field: str,
        values: Mapping[str, Any],
        *,
        strict: bool = False,
    ) -> WriteResult:
        return self.upsert_many(object_name, external_id_field, [values], strict=strict)[0]

    def delete(self, object_name: str, record_id: str) -> WriteResult:
        return self.delete_many(object_name, [record_id])[0]

    # -- status --------------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        """Who the session is, the org's API usage and how fresh the describe cache is."""
        info = self.transport.userinfo()
        self.wire.request("GET", "limits", what="limits")  # answers Sforce-Limit-Info
        host = str(self.sf.sf_instance)
        used, total = self.api_usage or (None, None)
        manifest = None
        try:
            manifest = self.cache.store.read_manifest()
        except SnapshotError:
            manifest = None
        checked = [e.checked_at for e in (manifest.objects.values() if manifest else []) if e]
        stamps = [stamp for stamp in checked if stamp is not None]
        return {
            "user": info.get("preferred_username"),
            "user_id": info.get("user_id"),
            "org_id": info.get("organization_id"),
            "instance_url": f"https://{host}",
            "sandbox": ".sandbox." in host or host.startswith("test."),
            "api_version": str(self.sf.sf_version),
            "api_usage": {"used": used, "max": total},
            "describe_cache": {
                "directory": str(self.cache.store.root),
                "objects": len(manifest.objects) if manifest else 0,
                "fetched_at": manifest.fetched_at if manifest else None,
                "oldest_check_seconds": round(time.time() - min(stamps)) if stamps else None,
                "ttl_seconds": self.cache.ttl,
            },
        }


def connect_env_is_empty(environ: Mapping[str, str] | None = None) -> bool:
    """True when no SF_* credentials are set (``connect`` then falls back to the demo org)."""
    env = os.environ if environ is None else environ
    return not any(env.get(name) for name in ("SF_INSTANCE_URL", "SF_ACCESS_TOKEN", "SF_USERNAME"))
