"""Back up, restore and re-encrypt the tracker's data: `make backup`, `make restore BACKUP=...`.

    python scripts/backup.py backup [--keep-daily N] [--dir DIR]
    python scripts/backup.py restore FILE [--force]
    python scripts/backup.py rekey FILE [FILE ...]

Reads the same settings as the site (DATABASE_URL, DJANGO_MEDIA_ROOT,
DJANGO_PRIVATE_MEDIA_ROOT, BACKUP_DIR, BACKUP_ENCRYPTION_KEY, BACKUP_KEEP_DAILY); the work is
in core/backup.py. Every failure is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    backup = commands.add_parser("backup", help="write an encrypted archive into BACKUP_DIR")
    backup.add_argument("--dir", type=Path, help="instead of BACKUP_DIR")
    backup.add_argument("--keep-daily", type=int, help="instead of BACKUP_KEEP_DAILY")
    restore = commands.add_parser("restore", help="restore an archive into an empty site")
    restore.add_argument("archive", type=Path)
    restore.add_argument("--force", action="store_true", help="replace what is there")
    rekey = commands.add_parser("rekey", help="re-encrypt archives with the first key")
    rekey.add_argument("archives", type=Path, nargs="+")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wgsom.settings.base")
    import django

    django.setup()
    from core.backup import BackupError, backup_create, backup_rekey, backup_restore

    try:
        if args.command == "backup":
            if args.keep_daily is not None and args.keep_daily < 1:
                raise BackupError("--keep-daily must be at least 1")
            result = backup_create(backup_dir=args.dir, keep_daily=args.keep_daily)
            print(f"Wrote {result.path} ({result.files} files); removed {len(result.removed)} old")
        elif args.command == "restore":
            if not args.archive.is_file():
                raise BackupError(f"{args.archive} is not a file")
            restored = backup_restore(archive=args.archive, force=args.force)
            print(f"Restored {args.archive} ({restored.files} files)")
        else:
            for archive in args.archives:
                backup_rekey(archive=archive)
                print(f"Re-encrypted {archive}")
    except BackupError as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
