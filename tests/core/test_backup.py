"""`manage.py backup` while the site writes, and the restore that docs/operations.md describes, on the
database the suite runs on (SQLite with `make test`, PostgreSQL in CI's second run)."""

import io
import shutil
import sqlite3
import subprocess
import threading

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.accounts.models import User
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")


def usernames_in(path) -> set[str]:
    with sqlite3.connect(path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {name for (name,) in copy.execute("SELECT username FROM accounts_user")}


@on_sqlite
def test_a_sqlite_backup_taken_while_others_write_is_the_database_at_one_moment(tmp_path):
    StudentFactory.create_batch(3)
    stop = threading.Event()

    def keep_writing():
        number = 0
        while not stop.is_set():
            number += 1
            User.objects.create(username=f"writer-{number}")
        connection.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        call_command("backup", str(tmp_path / "copy.sqlite3"), stdout=io.StringIO())
    finally:
        stop.set()
        writer.join()
    copied = usernames_in(tmp_path / "copy.sqlite3")
    writers = sorted(int(name.split("-")[1]) for name in copied if name.startswith("writer-"))
    assert copied <= set(User.objects.values_list("username", flat=True))
    assert writers == list(range(1, len(writers) + 1))  # a prefix: no write half in, none skipped
    assert len(copied - {f"writer-{n}" for n in writers}) == 3


@on_sqlite
def test_restoring_a_sqlite_backup_brings_back_exactly_what_it_held(tmp_path):
    StudentFactory(username="before-backup")
    report = io.StringIO()
    call_command("backup", str(tmp_path), stdout=report)
    (backup,) = tmp_path.glob("datatrail-*.sqlite3")
    assert f"Backup written to {backup}" in report.getvalue()
    assert not list(tmp_path.glob("*.partial"))
    StudentFactory(username="after-backup")
    # The documented restore, on a stand-in for the live file: stop, copy over, drop the WAL files.
    live = tmp_path / "live.sqlite3"
    shutil.copy(backup, live)
    for leftover in (tmp_path / "live.sqlite3-wal", tmp_path / "live.sqlite3-shm"):
        leftover.unlink(missing_ok=True)
    restored = usernames_in(live)
    assert "before-backup" in restored and "after-backup" not in restored
    with sqlite3.connect(live) as db:
        migrations = db.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        assert cursor.fetchone()[0] == migrations


def test_a_backup_never_overwrites_and_needs_its_folder(tmp_path):
    (tmp_path / "taken").write_text("an earlier backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path / "taken"))
    assert (tmp_path / "taken").read_text() == "an earlier backup"
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("backup", str(tmp_path / "missing" / "copy"))


@on_postgresql
def test_a_postgresql_backup_restores_into_a_new_database(tmp_path):
    StudentFactory(username="before-backup")
    call_command("backup", str(tmp_path / "site.dump"), stdout=io.StringIO())
    StudentFactory(username="after-backup")
    settings = connection.settings_dict
    restored = f"{settings['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        address = [
            f"--host={settings['HOST']}",
            f"--port={settings['PORT']}",
            f"--username={settings['USER']}",
        ]
        subprocess.run(
            ["pg_restore", "--no-owner", *address, f"--dbname={restored}", str(tmp_path / "site.dump")],
            check=True,
            env={"PGPASSWORD": settings.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"},
        )
        dsn = f"host={settings['HOST']} port={settings['PORT']} user={settings['USER']} dbname={restored}"
        with psycopg.connect(dsn, password=settings.get("PASSWORD") or None) as db:
            names = {name for (name,) in db.execute("SELECT username FROM accounts_user")}
        assert "before-backup" in names and "after-backup" not in names
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
