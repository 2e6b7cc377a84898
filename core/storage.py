"""Private storage for report attachments: on disk, outside MEDIA_ROOT, with no URL.

Evidence a State sends with a draft is not public; the only way to read a file is the
attachment view, which checks that the user may read the report. The location is read from
settings on every use (not once at import), so tests and deployments can move it.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="core.storage.PrivateAttachmentStorage")
class PrivateAttachmentStorage(FileSystemStorage):
    @property
    def base_location(self) -> str:
        return str(settings.REPORT_ATTACHMENTS_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None

    def url(self, name: str | None) -> str:
        raise ValueError("Report attachments have no public URL; use the attachment view.")
