"""What the load test and the benchmark run on: a free loopback port, and a database of their own."""

import os
import socket
import urllib.parse
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayDatabase:
    """A SQLite file in `folder`, or, when DATABASE_URL names a PostgreSQL server, a new database
    `<prefix>_<pid>` on it (the test suite's own database is left alone). `environment` points the site
    at it; `drop()` deletes it."""

    def __init__(self, folder: Path, prefix: str):
        self.server_url = os.environ.get("DATABASE_URL", "")
        self.name = f"{prefix}_{os.getpid()}"
        if not self.server_url.startswith(("postgres://", "postgresql://")):
            self.server_url = ""
            self.engine = "SQLite"
            self.environment = {"DATABASE_URL": "", "DJANGO_SQLITE_PATH": str(folder / f"{prefix}.sqlite3")}
            return
        self.engine = "PostgreSQL"
        self._execute(f'CREATE DATABASE "{self.name}"')
        parts = urllib.parse.urlsplit(self.server_url)
        self.environment = {"DATABASE_URL": urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))}

    def _execute(self, statement: str) -> None:
        import psycopg  # only for PostgreSQL; the site's own driver

        with psycopg.connect(self.server_url, autocommit=True) as connection:
            connection.execute(statement)

    def drop(self) -> None:
        if self.server_url:
            self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
