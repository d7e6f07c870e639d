import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


def backup_path(destination: str, suffix: str) -> Path:
    """The file to write: `destination` itself, or a dated file in it when it is a folder."""
    path = Path(destination)
    if path.is_dir():
        path = path / f"datatrail-{timezone.now():%Y%m%d-%H%M%S}{suffix}"
    if path.exists():
        raise CommandError(f"{path} already exists; a backup never overwrites a file.")
    if not path.parent.is_dir():
        raise CommandError(f"There is no folder {path.parent}.")
    return path


def sqlite_backup(source: str, path: Path) -> None:
    """SQLite's online backup: one read transaction copies every page, so the copy is the database at
    one moment; in WAL mode writers go on meanwhile. Written beside the target, checked, then renamed,
    so a half-written file never carries the backup's name."""
    if not Path(source).is_file():
        raise CommandError(f"There is no database at {source}: run migrate first.")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    origin, copy = sqlite3.connect(source), sqlite3.connect(partial)
    try:
        origin.backup(copy)
        (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
    finally:
        origin.close()
        copy.close()
    if verdict != "ok":
        partial.unlink()
        raise CommandError(f"The copy failed its integrity check: {verdict}")
    partial.rename(path)


def postgresql_backup(settings_dict: dict, path: Path) -> None:
    """pg_dump in its custom format (one consistent snapshot; restore with pg_restore)."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise CommandError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
    environment = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
    command = [
        pg_dump,
        "--format=custom",
        "--no-owner",
        f"--file={path}",
        f"--dbname={settings_dict['NAME']}",
    ]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            command.append(f"{option}={settings_dict[key]}")
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        path.unlink(missing_ok=True)
        raise CommandError(f"pg_dump failed: {result.stderr.strip()}")


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database while the site serves: SQLite's online backup, or "
        "pg_dump on PostgreSQL. Give a file name, or a folder for a dated file. Restore: docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="a new file, or an existing folder")

    def handle(self, *args, destination: str, **options):
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            path = backup_path(destination, ".sqlite3")
            sqlite_backup(str(settings_dict["NAME"]), path)
        elif connection.vendor == "postgresql":
            path = backup_path(destination, ".dump")
            postgresql_backup(settings_dict, path)
        else:
            raise CommandError(f"No backup for the {connection.vendor} database.")
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size} bytes).")
