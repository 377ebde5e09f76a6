"""Names from the wire become file names only through here.

Object names, record-type ids, org and user ids and the instance host come from the server (or
from a user's configuration); a hostile or broken answer must not reach outside the snapshot
directory. Each is checked against Salesforce's own grammar before it is used as a path:

- an object's API name is letters, digits and single underscores, starts with a letter and does
  not end with an underscore; double underscores only separate a namespace prefix and a suffix
  (``ns__Name__c``, ``Name__x``, ``Name__ChangeEvent``) — Salesforce Help, "Custom Object
  Definition" / "Object Reference: Custom Objects" (the API name rules);
- a record id (record types, org and user ids) is 15 or 18 letters and digits with its checksum.

Directories sfschema creates are 0700 and never followed through a symbolic link below the
snapshot root; the lock file is opened without following a link and created 0600.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from sfschema import ids
from sfschema.errors import SnapshotError

_SEGMENT = r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*"
_API_NAME = re.compile(rf"{_SEGMENT}(?:__{_SEGMENT}){{0,2}}\Z", re.ASCII)
MAX_NAME = 120  # far above Salesforce's longest names (40 + namespace + suffix), far below NAME_MAX
_API_VERSION = re.compile(r"[0-9]{1,3}\.[0-9]\Z", re.ASCII)
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?:_[0-9]{1,5})?\Z", re.ASCII)

DIR_MODE = 0o700
FILE_MODE = 0o600


def is_api_name(name: object) -> bool:
    """True for a Salesforce API name (``Account``, ``Invoice__c``, ``ns__Thing__x``)."""
    return type(name) is str and len(name) <= MAX_NAME and _API_NAME.match(name) is not None


def api_name(name: object) -> str:
    """The name itself when it is an object API name; anything else is a SnapshotError."""
    if not is_api_name(name):
        raise SnapshotError(
            f"object name {_shown(name)} is not a Salesforce API name (letters, digits and "
            "single underscores, starting with a letter); it is not used as a file name"
        )
    return str(name)


def object_file_name(name: object) -> str:
    """``<Name>.json`` for an object API name; anything else is a SnapshotError."""
    return f"{api_name(name)}.json"


def record_type_file_name(record_type_id: object) -> str:
    """``<RecordTypeId>.json`` for a valid record id; anything else is a SnapshotError."""
    if type(record_type_id) is not str or not ids.is_valid(record_type_id):
        raise SnapshotError(
            f"record type id {_shown(record_type_id)} is not a Salesforce id (15 or 18 letters "
            "and digits); it is not used as a file name"
        )
    return f"{record_type_id}.json"


def id_segment(value: str, what: str) -> str:
    """An org or user id as one path segment (its 18-character form)."""
    if type(value) is not str or not ids.is_valid(value):
        raise SnapshotError(f"{what} {_shown(value)} from the server is not a Salesforce id")
    return ids.to18(value)


def version_segment(api_version: str) -> str:
    """``v59.0`` for an API version ``59.0``."""
    if type(api_version) is not str or not _API_VERSION.match(api_version):
        raise SnapshotError(f"API version {_shown(api_version)} is not of the form 59.0")
    return f"v{api_version}"


def instance_segment(instance_url: str) -> str:
    """The instance's host (and port) as one path segment: ``acme.my.salesforce.com``.

    A host that is not a plain DNS name or IPv4 address (IPv6, odd characters) becomes a digest.
    """
    try:
        parts = urlsplit(instance_url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        host, port = "", None
    segment = f"{host}_{port}" if port is not None else host
    if _HOST.match(segment) and ".." not in segment:
        return segment
    return "h-" + hashlib.sha256(instance_url.encode("utf-8", "replace")).hexdigest()[:32]


def ensure_dir(root: Path, relative: tuple[str, ...] = ()) -> Path:
    """``root/relative…`` as real directories, created 0700; a symbolic link below root is refused.

    The root itself may be a link (a user's cache folder elsewhere); the folders sfschema creates
    inside it may not, so nothing it writes lands outside the root.
    """
    _make_dirs(root)
    path = root
    for part in relative:
        path = path / part
        try:
            os.mkdir(path, DIR_MODE)
        except FileExistsError:
            pass
        except OSError as exc:
            raise SnapshotError(f"{path}: cannot create ({exc.strerror or exc})") from exc
        if path.is_symlink() or not path.is_dir():
            raise SnapshotError(
                f"{path}: is a symbolic link or not a directory; sfschema does not write through "
                "it (remove it)"
            )
    return path


def _make_dirs(path: Path) -> None:
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:
            pass
        except OSError as exc:
            raise SnapshotError(f"{folder}: cannot create ({exc.strerror or exc})") from exc
    if not path.is_dir():
        raise SnapshotError(f"{path}: cannot write (not a directory)")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive flock on ``path`` (created 0600, never through a symbolic link)."""
    ensure_dir(path.parent)
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
    except OSError as exc:
        raise SnapshotError(
            f"{path}: cannot open the lock ({exc.strerror or exc}; a symbolic link is refused)"
        ) from exc
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
