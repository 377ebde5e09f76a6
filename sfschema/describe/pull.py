"""Extras a full pull adds to a snapshot beyond describes: record-type picklist values."""

from __future__ import annotations

from collections.abc import Iterable

from sfschema.describe.fetch import Transport, api_error
from sfschema.describe.models import parse_sobject
from sfschema.describe.snapshot import SnapshotDir
from sfschema.ids import MASTER_RECORD_TYPE_ID, same_id


def pull_record_type_picklists(
    transport: Transport, store: SnapshotDir, objects: Iterable[str]
) -> int:
    """Fetch UI API picklist values for every non-master record type of the given objects.

    Returns the number of requests made (one per record type; the UI API has no batch form).
    """
    requests = 0
    for name in objects:
        sobject = parse_sobject(store.read_object(name), f"{store.root}: {name}")
        for info in sobject.recordTypeInfos:
            if info.master or same_id(info.recordTypeId, MASTER_RECORD_TYPE_ID):
                continue
            store.picklists_path(name, info.recordTypeId)  # a bad id fails before the request
            path = f"ui-api/object-info/{name}/picklist-values/{info.recordTypeId}"
            response = transport.get(path)
            requests += 1
            if response.status != 200:
                raise api_error(response, f"picklist values of {name} record type {info.name}")
            store.write_picklists(name, info.recordTypeId, response.body)
    return requests
