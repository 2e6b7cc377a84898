"""Refusing zip bombs before a library unpacks them.

A .docx or .xlsx file is a zip archive: python-docx and openpyxl inflate its parts in memory,
so a 1 MB upload can decompress to gigabytes. `check_zip` reads the archive's directory (the
sizes each member declares) and then inflates every member in bounded chunks, counting what
actually comes out, and refuses the file as soon as either passes the limits: a forged
directory cannot hide a bomb, and the work done is bounded by the limit, not by the file.

Pure Python, no Django: the report parser uses it too.
"""

from __future__ import annotations

import io
import zipfile

_CHUNK = 1024 * 1024


class ArchiveRefused(ValueError):
    """The archive is larger, once unpacked, than the limit allows; the message says by how
    much, on one line."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def check_zip(data: bytes, *, max_unzipped_bytes: int, max_ratio: int) -> None:
    """Raise ArchiveRefused when `data`, a zip archive, unpacks to more than
    `max_unzipped_bytes` in all, or when any member inflates more than `max_ratio` times its
    compressed size (counting what it declares and what it yields). A damaged archive raises
    zipfile.BadZipFile, for the caller's own "cannot be read" message."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        declared = sum(member.file_size for member in members)
        if declared > max_unzipped_bytes:
            raise ArchiveRefused(
                f"the file unpacks to {_mb(declared)}; the limit is {_mb(max_unzipped_bytes)}"
            )
        total = 0
        for member in members:
            _check_ratio(member.filename, member.file_size, member.compress_size, max_ratio)
            produced = 0
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    produced += len(chunk)
                    total += len(chunk)
                    if total > max_unzipped_bytes:
                        raise ArchiveRefused(
                            f"the file unpacks to more than {_mb(total)}; "
                            f"the limit is {_mb(max_unzipped_bytes)}"
                        )
                    _check_ratio(member.filename, produced, member.compress_size, max_ratio)


def _check_ratio(name: str, size: int, compressed: int, max_ratio: int) -> None:
    # Small members (XML headers, empty parts) compress extremely well and harm nobody.
    if size > 1024 * 1024 and size > max(compressed, 1) * max_ratio:
        ratio = size // max(compressed, 1)
        raise ArchiveRefused(
            f"the part {name} is compressed {ratio:,} to 1; the limit is {max_ratio:,} to 1"
        )
