"""Backups: one encrypted archive of the database and the private files, restored whole into
an empty site; an archive tampered with, cut short or read with the wrong key is refused."""

from __future__ import annotations

import hashlib
import io
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from core import backup
from core.backup import BackupError


@pytest.fixture
def key(settings):
    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    return settings.BACKUP_ENCRYPTION_KEY


def archive_of(members: dict[str, bytes], key: str, chunk: int = 4) -> bytes:
    out = io.BytesIO()
    writer = backup._Writer(out, backup._fernet(key))
    for name, content in members.items():
        writer.member(name, iter([content[i : i + chunk] for i in range(0, len(content), chunk)]))
    writer.record(backup.FINISH)
    return out.getvalue()


def read(archive: bytes, key: str) -> dict[str, bytes]:
    return {
        name: b"".join(chunks)
        for name, chunks in backup._members(io.BytesIO(archive), backup._fernet(key))
    }


def test_an_archive_gives_back_each_member_in_chunks(key):
    members = {"database": b"dump" * 10, "private-media/a/b.pdf": b"%PDF-1.4", "media/x": b""}
    assert read(archive_of(members, key), key) == members


def test_the_archive_is_encrypted(key):
    archive = archive_of({"media/notes.txt": b"confidential evidence"}, key, chunk=100)
    assert b"confidential" not in archive
    assert b"notes.txt" not in archive


def test_the_wrong_key_is_refused(key):
    archive = archive_of({"media/x": b"data"}, key)
    with pytest.raises(BackupError, match="cannot be decrypted"):
        read(archive, Fernet.generate_key().decode())


def test_an_archive_cut_short_is_refused(key):
    archive = archive_of({"media/x": b"data" * 10}, key)
    with pytest.raises(BackupError, match="cut short"):
        read(archive[:-10], key)
    # Cut at a token boundary: every token is good, the end record is missing.
    tokens = list(backup._tokens(io.BytesIO(archive)))
    shortened = backup.MAGIC + b"".join(
        backup._LENGTH.pack(len(token)) + token for token in tokens[:-1]
    )
    with pytest.raises(BackupError, match="cut short"):
        read(shortened, key)


def test_records_moved_around_are_refused(key):
    archive = archive_of({"media/x": b"abcdefgh"}, key)
    tokens = list(backup._tokens(io.BytesIO(archive)))
    tokens[1], tokens[2] = tokens[2], tokens[1]
    swapped = backup.MAGIC + b"".join(backup._LENGTH.pack(len(t)) + t for t in tokens)
    with pytest.raises(BackupError, match="out of order"):
        read(swapped, key)


def test_a_missing_key_is_refused_with_how_to_make_one(settings):
    settings.BACKUP_ENCRYPTION_KEY = ""
    with pytest.raises(BackupError, match=r"Fernet\.generate_key"):
        backup._fernet()


def test_rekey_reencrypts_with_the_first_key_so_the_old_one_can_go(settings, tmp_path):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    path = tmp_path / "wgsom-20240101T000000Z.backup"
    path.write_bytes(archive_of({"media/x": b"kept"}, old))
    settings.BACKUP_ENCRYPTION_KEY = f"{new},{old}"
    backup.backup_rekey(archive=path)
    assert read(path.read_bytes(), new) == {"media/x": b"kept"}
    with pytest.raises(BackupError):
        read(path.read_bytes(), old)


def test_retention_keeps_every_archive_of_the_newest_days(tmp_path):
    names = [
        "wgsom-20240101T020000Z.backup",
        "wgsom-20240102T020000Z.backup",
        "wgsom-20240103T020000Z.backup",
        "wgsom-20240103T150000Z.backup",  # taken by hand before an upgrade
        "wgsom-20240104T020000Z.backup",
    ]
    for name in [*names, "unrelated.txt"]:
        (tmp_path / name).write_bytes(b"x")
    removed = backup.backup_prune(backup_dir=tmp_path, keep_daily=2)
    assert sorted(path.name for path in removed) == names[:2]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["unrelated.txt", *names[2:]]


def test_restore_refuses_a_database_with_tables(key, tmp_path):
    import sqlite3

    target = tmp_path / "db.sqlite3"
    sqlite3.connect(target).execute("CREATE TABLE t (id integer)").connection.commit()
    archive = tmp_path / "a.backup"
    archive.write_bytes(archive_of({"database": b"x"}, key))
    with pytest.raises(BackupError, match=r"database is not empty.*--force"):
        backup.backup_restore(
            archive=archive,
            database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)},
            roots={"media": tmp_path / "m", "private-media": tmp_path / "p"},
        )


def test_restore_refuses_a_folder_with_files_and_a_path_leaving_its_folder(key, tmp_path):
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "new.sqlite3")}
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "old.txt").write_text("x")
    archive = tmp_path / "a.backup"
    archive.write_bytes(archive_of({"media/../../escape": b"x"}, key))
    roots = {"media": tmp_path / "m", "private-media": tmp_path / "p"}
    with pytest.raises(BackupError, match="is not empty"):
        backup.backup_restore(archive=archive, database=database, roots=roots)
    with pytest.raises(BackupError, match="unsafe path"):
        backup.backup_restore(archive=archive, database=database, roots=roots, force=True)
    assert not (tmp_path.parent / "escape").exists()


# The whole cycle on PostgreSQL -----------------------------------------------------------------


def table_counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public' ORDER BY 1"
    )
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_database_gives_back_every_row_and_file(
    postgresql, wgsom, key, settings, tmp_path, focal_point, state
):
    import psycopg2

    from reporting import services as reporting_services
    from tests.factories import RecommendationFactory
    from tests.reporting.files import pdf_bytes, upload

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_ATTACHMENTS_ROOT = tmp_path / "private-media"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "logo.png").write_bytes(b"\x89PNG public upload")
    call_command("load_demo_reports", states=4, force=True, verbosity=0)
    reporting_services.implementation_report_create(
        by=focal_point,
        state=state,
        recommendation=RecommendationFactory(),
        status="implemented",
        as_of="2024-01-01",
        attachments=[upload("plan.pdf", pdf_bytes(), "application/pdf")],
    )
    with connection.cursor() as cursor:
        before = table_counts(cursor)
    assert before["reporting_reportattachment"] == 1
    assert before["reporting_historicalimplementationreport"] > 0
    files_before = checksums(tmp_path / "private-media") | {
        f"media/{k}": v for k, v in checksums(settings.MEDIA_ROOT).items()
    }

    result = backup.backup_create(backup_dir=tmp_path / "backups")
    assert result.path.name.startswith("wgsom-") and result.files == 2

    fresh = f"wgsom_restore_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{fresh}"')
    try:
        database = {**django_settings.DATABASES["default"], "NAME": fresh}
        restored_roots = {
            "media": tmp_path / "restored-media",
            "private-media": tmp_path / "restored-private",
        }
        backup.backup_restore(archive=result.path, database=database, roots=restored_roots)
        with (
            psycopg2.connect(
                host="127.0.0.1", port=5432, user="postgres", dbname=fresh
            ) as restored,
            restored.cursor() as cursor,
        ):
            after = table_counts(cursor)
        restored.close()
        assert after == before
        files_after = checksums(restored_roots["private-media"]) | {
            f"media/{k}": v for k, v in checksums(restored_roots["media"]).items()
        }
        assert files_after == files_before
        # A second restore over the restored site is refused, in one line.
        with pytest.raises(BackupError, match="database is not empty"):
            backup.backup_restore(archive=result.path, database=database, roots=restored_roots)
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        admin.close()


def test_the_command_refuses_in_one_line_without_a_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("BACKUP_", "DJANGO_"))}
    env.update(BACKUP_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run(
        [sys.executable, "scripts/backup.py", "backup"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "AXES" not in line]
    assert len(errors) == 1 and errors[0].startswith("backup: BACKUP_ENCRYPTION_KEY is not set")
    assert not list(tmp_path.glob("*.backup"))
