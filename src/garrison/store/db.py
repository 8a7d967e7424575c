"""The SQLite connection and its migrations.

One file, WAL journal, foreign keys on. Each migration runs in its own transaction and bumps
``PRAGMA user_version``, so a crash mid-migration leaves the previous version intact.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from garrison.core.errors import ConfigurationError, StorageUnavailable

MIGRATIONS: tuple[str, ...] = (
    # 1: API keys and the model catalog
    """
    CREATE TABLE api_keys (
        id           TEXT PRIMARY KEY,          -- public prefix, shown in lists
        secret_hash  TEXT NOT NULL,             -- sha256 of the whole key (the key itself is never stored)
        name         TEXT NOT NULL,
        role         TEXT NOT NULL,
        created_at   REAL NOT NULL,
        expires_at   REAL,
        revoked_at   REAL,
        last_used_at REAL
    );
    CREATE TABLE models (
        name           TEXT PRIMARY KEY,
        engine         TEXT NOT NULL,
        path           TEXT,
        sha256         TEXT,
        size_bytes     INTEGER,
        license        TEXT NOT NULL,
        origin         TEXT NOT NULL,
        context_length INTEGER NOT NULL,
        chat_template  TEXT,
        base_url       TEXT,
        remote_model   TEXT,
        architecture   TEXT,
        embeddings     INTEGER NOT NULL DEFAULT 1,
        builtin        INTEGER NOT NULL DEFAULT 0,
        added_at       REAL NOT NULL
    );
    """,
)


class Database:
    """A thread-safe handle on the SQLite file (one connection, serialised by a lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30.0)
        except sqlite3.OperationalError as exc:
            raise ConfigurationError(f"cannot open database {path}: {exc}") from exc
        with contextlib.suppress(OSError):
            path.chmod(0o600)  # keys' hashes and the catalog: owner only
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as exc:  # e.g. "file is not a database"
            self._conn.close()
            raise ConfigurationError(f"cannot use database {path}: {exc}") from exc

    @property
    def schema_version(self) -> int:
        return int(self.query("PRAGMA user_version")[0][0])

    def migrate(self) -> int:
        """Apply pending migrations; return the resulting schema version."""
        with self._lock:
            current = self.schema_version
            if current > len(MIGRATIONS):
                raise ConfigurationError(
                    f"database {self.path} has schema version {current}, newer than this "
                    f"Garrison knows ({len(MIGRATIONS)}): upgrade Garrison"
                )
            for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
                with self.transaction() as conn:
                    for statement in _split(script):
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version={version}")
            return self.schema_version

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; SQLite failures surface as :class:`StorageUnavailable`."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _storage(self.path, exc) from exc
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error) and not isinstance(exc, sqlite3.IntegrityError):
                    raise _storage(self.path, exc) from exc
                raise

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return list(self._conn.execute(sql, params).fetchall())
            except sqlite3.Error as exc:
                raise _storage(self.path, exc) from exc

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _storage(path: Path, exc: sqlite3.Error) -> StorageUnavailable:
    return StorageUnavailable(f"database {path}: {exc}; the change was rolled back, nothing was half-stored")


def _split(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
