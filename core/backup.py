"""Encrypted backups of the database and the private files, and their restore.

One archive holds the database (PostgreSQL: `pg_dump --format=custom`, restored with
`pg_restore`; SQLite: a consistent copy made with sqlite3's backup API) and every file under
MEDIA_ROOT and REPORT_ATTACHMENTS_ROOT (report attachments, built Secretariat reports, uploads
held for a preview). Never `dumpdata`: it loses the history tables' rows and their ids.

The archive is a sequence of Fernet tokens (`cryptography`), each preceded by its length, so
it is written and read in chunks of CHUNK_SIZE bytes and never held whole in memory. Each
token's plaintext starts with its sequence number and a record kind, so a token removed,
repeated or moved, or an archive cut short, is refused rather than restored in part unseen:

    b"WGSOMBK1" then, per token: 4-byte big-endian length, token
    token plaintext: 8-byte sequence number, 1-byte kind, payload
    kinds: H member header (JSON: name), D member data, E end of member, Z end of archive

BACKUP_ENCRYPTION_KEY holds one Fernet key, or several separated by commas during a key
rotation: the first encrypts, any of them decrypts (`rekey` re-encrypts an archive with the
first).
"""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import psycopg2
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import connections
from django.utils import timezone

MAGIC = b"WGSOMBK1"
CHUNK_SIZE = 1024 * 1024
PREFIX = "wgsom-"
SUFFIX = ".backup"
_LENGTH = struct.Struct(">I")
_RECORD = struct.Struct(">QB")
HEADER, DATA, END, FINISH = b"H", b"D", b"E", b"Z"
DATABASE_MEMBER = "database"
# Member name prefix -> the setting naming the folder it is restored into.
FILE_ROOTS = {"media": "MEDIA_ROOT", "private-media": "REPORT_ATTACHMENTS_ROOT"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one line for the operator."""


def _fernet(keys: str | None = None) -> Any:
    raw = settings.BACKUP_ENCRYPTION_KEY if keys is None else keys
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not parts:
        raise BackupError(
            "BACKUP_ENCRYPTION_KEY is not set; generate one with: python -c "
            '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        )
    try:
        return MultiFernet([Fernet(part.encode()) for part in parts])
    except ValueError as exc:
        raise BackupError(
            "BACKUP_ENCRYPTION_KEY is not a Fernet key (32 url-safe base64 bytes)"
        ) from exc


class _Writer:
    """Encrypts records as they come; the caller never holds more than one chunk."""

    def __init__(self, out: IO[bytes], fernet: Any) -> None:
        self.out, self.fernet, self.sequence = out, fernet, 0
        out.write(MAGIC)

    def record(self, kind: bytes, payload: bytes = b"") -> None:
        token = self.fernet.encrypt(_RECORD.pack(self.sequence, kind[0]) + payload)
        self.sequence += 1
        self.out.write(_LENGTH.pack(len(token)) + token)

    def member(self, name: str, chunks: Iterator[bytes]) -> None:
        self.record(HEADER, json.dumps({"name": name}).encode())
        for chunk in chunks:
            if chunk:
                self.record(DATA, chunk)
        self.record(END)


def _tokens(source: IO[bytes]) -> Iterator[bytes]:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("not a WGSOM backup archive")
    while True:
        head = source.read(_LENGTH.size)
        if not head:
            return
        if len(head) < _LENGTH.size:
            raise BackupError("the archive is cut short")
        (length,) = _LENGTH.unpack(head)
        token = source.read(length)
        if len(token) < length:
            raise BackupError("the archive is cut short")
        yield token


def _records(source: IO[bytes], fernet: Any) -> Iterator[tuple[bytes, bytes]]:
    """(kind, payload) in order, authenticated; refuses a reordered or truncated archive."""

    finished = False
    for expected, token in enumerate(_tokens(source)):
        if finished:
            raise BackupError("the archive has data after its end")
        try:
            plain = fernet.decrypt(token)
        except InvalidToken as exc:
            raise BackupError("the archive cannot be decrypted with BACKUP_ENCRYPTION_KEY") from exc
        sequence, kind = _RECORD.unpack_from(plain)
        if sequence != expected:
            raise BackupError("the archive's records are out of order")
        finished = kind == FINISH[0]
        yield bytes([kind]), plain[_RECORD.size :]
    if not finished:
        raise BackupError("the archive is cut short (no end record)")


def _members(source: IO[bytes], fernet: Any) -> Iterator[tuple[str, Iterator[bytes]]]:
    """Each member's name and an iterator of its data; consume one before the next."""
    records = _records(source, fernet)

    def data() -> Iterator[bytes]:
        for kind, payload in records:
            if kind == END:
                return
            if kind != DATA:
                raise BackupError("the archive is malformed")
            yield payload

    for kind, payload in records:
        if kind == FINISH:
            return
        if kind != HEADER:
            raise BackupError("the archive is malformed")
        name = json.loads(payload)["name"]
        chunks = data()
        yield name, chunks
        for _rest in chunks:  # a member the caller skipped
            pass


# The database --------------------------------------------------------------------------------


def _pg_env(database: dict[str, Any]) -> dict[str, str]:
    # Connection details through libpq's variables: a password on a command line is visible
    # to every user of the machine in the process list.
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    env["PGDATABASE"] = str(database["NAME"])
    return env


def _read_process(args: list[str], env: dict[str, str]) -> Iterator[bytes]:
    try:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    except FileNotFoundError as exc:
        raise BackupError(f"{args[0]} is not installed (PostgreSQL client tools)") from exc
    assert process.stdout is not None and process.stderr is not None
    while chunk := process.stdout.read(CHUNK_SIZE):
        yield chunk
    error = process.stderr.read().decode(errors="replace").strip()
    if process.wait() != 0:
        raise BackupError(f"{args[0]} failed: {error.splitlines()[-1] if error else 'no message'}")


def _database_chunks(database: dict[str, Any], workdir: Path) -> Iterator[bytes]:
    if "postgresql" in database["ENGINE"]:
        yield from _read_process(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"], _pg_env(database)
        )
        return
    if "sqlite3" in database["ENGINE"]:
        copy = workdir / "database.sqlite3"
        source = sqlite3.connect(str(database["NAME"]))
        target = sqlite3.connect(str(copy))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        with copy.open("rb") as stream:
            while chunk := stream.read(CHUNK_SIZE):
                yield chunk
        copy.unlink()
        return
    raise BackupError(f"cannot back up a {database['ENGINE']} database")


def _database_has_tables(database: dict[str, Any]) -> bool:
    # Asked over a connection of its own: the database restored into need not be one Django
    # has a connection for (a test restores into a second one).
    if "postgresql" in database["ENGINE"]:
        with (
            psycopg2.connect(
                dbname=database["NAME"],
                user=database.get("USER") or None,
                password=database.get("PASSWORD") or None,
                host=database.get("HOST") or None,
                port=database.get("PORT") or None,
            ) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
            )
            (count,) = cursor.fetchone()
        connection.close()
        return bool(count)
    path = Path(str(database["NAME"]))
    if not path.exists():
        return False
    connection = sqlite3.connect(str(path))
    try:
        (count,) = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()
    finally:
        connection.close()
    return bool(count)


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_SIZE):
            yield chunk


def _files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


# Backup and retention ------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    files: int
    removed: list[Path]


def archive_name(at: datetime.datetime) -> str:
    return f"{PREFIX}{at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"


def backup_create(*, backup_dir: Path | None = None, keep_daily: int | None = None) -> BackupResult:
    """Write one encrypted archive into `backup_dir`, then apply the retention rule.

    The archive is written under a temporary name and renamed when complete, so a backup
    that fails never leaves a file that looks like a good one, and never triggers the
    retention rule.
    """
    fernet = _fernet()
    backup_dir = Path(backup_dir or settings.BACKUP_DIR)
    backup_dir.mkdir(parents=True, exist_ok=True)
    database = settings.DATABASES["default"]
    final = backup_dir / archive_name(timezone.now())
    partial = final.with_suffix(".partial")
    files = 0
    try:
        with tempfile.TemporaryDirectory() as workdir, partial.open("wb") as out:
            os.chmod(partial, 0o600)
            writer = _Writer(out, fernet)
            writer.record(
                HEADER,
                json.dumps(
                    {
                        "name": "manifest.json",
                        "engine": database["ENGINE"],
                        "created": timezone.now().isoformat(),
                    }
                ).encode(),
            )
            writer.record(END)
            writer.member(DATABASE_MEMBER, _database_chunks(database, Path(workdir)))
            for prefix, setting in FILE_ROOTS.items():
                for relative, path in _files(Path(getattr(settings, setting))):
                    writer.member(f"{prefix}/{relative}", _file_chunks(path))
                    files += 1
            writer.record(FINISH)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    removed = backup_prune(backup_dir=backup_dir, keep_daily=keep_daily)
    return BackupResult(path=final, files=files, removed=removed)


def backup_prune(*, backup_dir: Path, keep_daily: int | None = None) -> list[Path]:
    """Keep the archives of the `keep_daily` most recent days that have one; remove older.

    Every archive of a kept day stays (a backup taken by hand before an upgrade is not
    removed by the nightly one). Days count by the UTC date in the archive's name.
    """
    keep = settings.BACKUP_KEEP_DAILY if keep_daily is None else keep_daily
    archives = sorted(backup_dir.glob(f"{PREFIX}*{SUFFIX}"))
    days = sorted({path.name[len(PREFIX) : len(PREFIX) + 8] for path in archives}, reverse=True)
    kept_days = set(days[:keep])
    removed = [
        path for path in archives if path.name[len(PREFIX) : len(PREFIX) + 8] not in kept_days
    ]
    for path in removed:
        path.unlink()
    return removed


# Restore -------------------------------------------------------------------------------------


def _folder_is_empty(path: Path) -> bool:
    return not path.exists() or not any(path.iterdir())


def _safe_path(root: Path, relative: str) -> Path:
    # A name from the archive never leaves its folder, even if the archive was made by hand.
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts:
        raise BackupError(f"the archive names an unsafe path: {relative!r}")
    return root.joinpath(*parts)


def _write_process(args: list[str], env: dict[str, str], chunks: Iterator[bytes]) -> None:
    try:
        process = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
    except FileNotFoundError as exc:
        raise BackupError(f"{args[0]} is not installed (PostgreSQL client tools)") from exc
    assert process.stdin is not None and process.stderr is not None
    try:
        for chunk in chunks:
            process.stdin.write(chunk)
    except BrokenPipeError:
        pass
    finally:
        process.stdin.close()
    error = process.stderr.read().decode(errors="replace").strip()
    if process.wait() != 0:
        raise BackupError(f"{args[0]} failed: {error.splitlines()[-1] if error else 'no message'}")


def _restore_database(database: dict[str, Any], chunks: Iterator[bytes], *, force: bool) -> None:
    if "postgresql" in database["ENGINE"]:
        args = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        if force:
            args += ["--clean", "--if-exists"]
        args += ["--dbname", str(database["NAME"])]
        _write_process(args, _pg_env(database), chunks)
        return
    if "sqlite3" in database["ENGINE"]:
        target = Path(str(database["NAME"]))
        partial = target.with_suffix(".restoring")
        with partial.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        partial.replace(target)
        return
    raise BackupError(f"cannot restore into a {database['ENGINE']} database")


@dataclass
class RestoreResult:
    files: int


def backup_restore(
    *,
    archive: Path,
    force: bool = False,
    database: dict[str, Any] | None = None,
    roots: dict[str, Path] | None = None,
) -> RestoreResult:
    """Restore `archive` into this installation's database and file folders (or into
    `database`, a DATABASES entry, and `roots`, member prefix -> folder).

    Refused unless the database has no tables and both folders are empty: a restore over
    live data would mix two states of the site. `force` replaces what is there (the
    database's objects are dropped first; files of the same name are overwritten).
    """
    fernet = _fernet()
    if roots is None:
        roots = {prefix: Path(getattr(settings, setting)) for prefix, setting in FILE_ROOTS.items()}
    if database is None:
        database = settings.DATABASES["default"]
        # Django's own connection would hold the SQLite file open, or a PostgreSQL session.
        connections["default"].close()
    if not force:
        if _database_has_tables(database):
            raise BackupError("the database is not empty; restore into an empty one or use --force")
        for root in roots.values():
            if not _folder_is_empty(root):
                raise BackupError(
                    f"{root} is not empty; restore into an empty folder or use --force"
                )
    files = 0
    with Path(archive).open("rb") as source:
        for name, chunks in _members(source, fernet):
            if name == "manifest.json":
                continue
            if name == DATABASE_MEMBER:
                _restore_database(database, chunks, force=force)
                continue
            prefix, _slash, relative = name.partition("/")
            if prefix not in roots:
                raise BackupError(f"the archive holds an unknown member: {name!r}")
            target = _safe_path(roots[prefix], relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            files += 1
    return RestoreResult(files=files)


def backup_rekey(*, archive: Path, keys: str | None = None) -> Path:
    """Re-encrypt `archive` with the first key of BACKUP_ENCRYPTION_KEY, in place.

    Decrypts with any of the keys listed (the old one among them), so after putting a new
    key first, every archive is re-encrypted and the old key can then be removed.
    """

    fernet = _fernet(keys)
    partial = Path(archive).with_suffix(".rekeying")
    try:
        with Path(archive).open("rb") as source, partial.open("wb") as out:
            os.chmod(partial, 0o600)
            out.write(MAGIC)
            for token in _tokens(source):
                try:
                    rotated = fernet.rotate(token)
                except InvalidToken as exc:
                    raise BackupError("the archive cannot be decrypted with any key given") from exc
                out.write(_LENGTH.pack(len(rotated)) + rotated)
        partial.replace(archive)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Path(archive)
