"""One SQL connection for the bot's own data: SQLite by default, PostgreSQL when configured.

``NETRA_DATABASE_URL=postgresql://…`` makes every replica share feedback, statistics, the answer
cache behind the buttons, follow-up context, rate limits and the per-chat turn order. Queries are
written once with ``?`` placeholders; :class:`PostgresDatabase` rewrites them to psycopg's ``%s``.
Schema scripts use ``{id}`` and ``{float}`` for the two column types the dialects spell
differently (PostgreSQL's ``REAL`` is 4 bytes, far too coarse for Unix timestamps).
"""

from __future__ import annotations

import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

Row = tuple[Any, ...]
SQLITE_TYPES = {"id": "INTEGER PRIMARY KEY", "float": "REAL"}
POSTGRES_TYPES = {"id": "BIGSERIAL PRIMARY KEY", "float": "DOUBLE PRECISION"}
MIGRATION_LOCK = 4_215_001  # advisory lock id: replicas starting together migrate one at a time


class Database(ABC):
    """The few operations storage needs; each call is atomic, ``transaction`` groups calls."""

    shared = False  # True when other processes (replicas) use the same data
    types: dict[str, str] = SQLITE_TYPES

    def __init__(self) -> None:
        self._lock = threading.RLock()

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Implemented by each backend."""

    @abstractmethod
    def rowcount(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Implemented by each backend."""

    @abstractmethod
    def transaction(self, lock_key: int | None = None) -> AbstractContextManager[None]:
        """Group calls atomically; ``lock_key`` also serialises replicas on that key."""

    @abstractmethod
    def schema_version(self) -> int:
        """Implemented by each backend."""

    @abstractmethod
    def apply_migration(self, script: str, number: int) -> None:
        """Implemented by each backend."""

    def migrate(self, templates: Sequence[str]) -> None:
        """Apply the schema scripts this database has not seen yet, each in one transaction."""
        with self.transaction(MIGRATION_LOCK):
            version = self.schema_version()
            for number, template in enumerate(templates[version:], start=version + 1):
                self.apply_migration(template.format(**self.types), number)

    @abstractmethod
    def close(self) -> None:
        """Implemented by each backend."""


class SqliteDatabase(Database):
    """One SQLite file in WAL mode (several processes on one host may share it)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable enough, no fsync per row

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def rowcount(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._lock:
            return int(self._db.execute(sql, tuple(params)).rowcount)

    @contextmanager
    def transaction(self, lock_key: int | None = None) -> Iterator[None]:
        del lock_key  # BEGIN IMMEDIATE takes SQLite's single write lock
        with self._lock:
            if self._db.in_transaction:  # nested: the outer transaction covers it
                yield
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def apply_migration(self, script: str, number: int) -> None:
        for statement in (s.strip() for s in script.split(";")):
            if statement:
                self._db.execute(statement)
        self._db.execute(f"PRAGMA user_version = {int(number)}")

    def close(self) -> None:
        with self._lock:
            self._db.close()


class PostgresDatabase(Database):
    """One psycopg 3 connection (autocommit; explicit transactions), shared by the bot's threads."""

    shared = True
    types = POSTGRES_TYPES

    def __init__(self, url: str) -> None:
        super().__init__()
        try:
            import psycopg
        except ImportError as error:  # pragma: no cover - psycopg is a dependency
            raise RuntimeError("NETRA_DATABASE_URL needs psycopg: pip install psycopg") from error
        self._psycopg = psycopg
        self.url = url
        self._db = psycopg.connect(url, autocommit=True)

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def _cursor_run(self, sql: str, params: Sequence[Any]) -> Any:
        if self._db.closed:
            self._db = self._psycopg.connect(self.url, autocommit=True)
        return self._db.execute(self._sql(sql), tuple(params))  # type: ignore[arg-type]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._lock:
            cursor = self._cursor_run(sql, params)
            return list(cursor.fetchall()) if cursor.description else []

    def rowcount(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._lock:
            return int(self._cursor_run(sql, params).rowcount)

    @contextmanager
    def transaction(self, lock_key: int | None = None) -> Iterator[None]:
        with self._lock, self._db.transaction():
            if lock_key is not None:
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key,))
            yield

    def schema_version(self) -> int:
        self._db.execute("CREATE TABLE IF NOT EXISTS netra_schema (version INTEGER NOT NULL)")
        row = self._db.execute("SELECT MAX(version) FROM netra_schema").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def apply_migration(self, script: str, number: int) -> None:
        self._db.execute(script)  # type: ignore[arg-type]
        self._db.execute("INSERT INTO netra_schema (version) VALUES (%s)", (number,))

    def close(self) -> None:
        with self._lock:
            self._db.close()


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("postgresql://", "postgres://"))


def open_database(url: str | None, sqlite_path: Path) -> Database:
    """PostgreSQL when ``url`` names one, else the SQLite file."""
    if url and is_postgres_url(url):
        return PostgresDatabase(url)
    if url:
        raise ValueError(
            "NETRA_DATABASE_URL must start with postgresql:// (or be unset for SQLite)"
        )
    return SqliteDatabase(sqlite_path)
