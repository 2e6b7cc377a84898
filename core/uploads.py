"""Uploads kept privately between a preview and its confirmation.

A two-step import (upload and preview, then confirm) must read the same bytes twice. The file
is kept in private storage under a random name, and the page carries a signed token naming the
file and the person who uploaded it: nobody else can confirm it, and a token cannot be altered
to name another file. A confirmed or refused upload is discarded at once; one that is never
confirmed is removed by `purge_stale_uploads`, which a periodic task runs, once it is older
than the token can live.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core import signing
from django.core.files.base import ContentFile
from django.utils import timezone

from .storage import PrivateAttachmentStorage

_FOLDER = "uploads-awaiting-confirmation"


class UploadExpired(Exception):
    """The token is forged, too old, someone else's, or its file is gone."""


@dataclass(frozen=True)
class HeldUpload:
    """An upload read back by its token: what was uploaded, under which name, and its key."""

    content: bytes
    filename: str
    key: str


def _storage() -> PrivateAttachmentStorage:
    return PrivateAttachmentStorage()


def hold_upload(*, content: bytes, filename: str, owner_id: int, salt: str) -> str:
    """Keep `content` privately and return a signed token only `owner_id` can redeem."""
    key = _storage().save(f"{_FOLDER}/{uuid.uuid4().hex}.upload", ContentFile(content))
    return signing.dumps({"key": key, "file": filename, "owner": owner_id}, salt=salt)


def read_held_upload(*, token: str, owner_id: int, salt: str, max_age: int) -> HeldUpload:
    """The upload `token` names, if `owner_id` uploaded it less than `max_age` seconds ago."""
    try:
        held = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature as exc:
        raise UploadExpired from exc
    storage = _storage()
    if not isinstance(held, dict) or held.get("owner") != owner_id:
        raise UploadExpired
    key = str(held.get("key", ""))
    if not key.startswith(f"{_FOLDER}/") or not storage.exists(key):
        raise UploadExpired
    with storage.open(key, "rb") as stored:
        return HeldUpload(content=stored.read(), filename=str(held.get("file", "")), key=key)


def read_upload_key(key: str) -> bytes:
    """The content of a held upload by its storage key, for a job queued by its owner once the
    token was checked (the key is never taken from a request). UploadExpired if it is gone."""
    storage = _storage()
    if not key.startswith(f"{_FOLDER}/") or not storage.exists(key):
        raise UploadExpired
    with storage.open(key, "rb") as stored:
        content: bytes = stored.read()
    return content


def discard_upload(key: str) -> None:
    """Remove a held upload once it has been used (confirmed or refused)."""
    if key.startswith(f"{_FOLDER}/"):
        _storage().delete(key)


def purge_stale_uploads(*, older_than: datetime.timedelta) -> int:
    """Remove held uploads older than `older_than` (never confirmed). Returns how many."""
    storage = _storage()
    if not storage.exists(_FOLDER):
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in storage.listdir(_FOLDER)[1]:
        key = f"{_FOLDER}/{name}"
        if storage.get_modified_time(key) < cutoff:
            storage.delete(key)
            removed += 1
    return removed
