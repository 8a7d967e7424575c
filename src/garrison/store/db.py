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
    # 2: organisations, people, keys that belong to people, model eligibility, usage metering
    """
    CREATE TABLE organisations (
        id                  TEXT PRIMARY KEY,
        name                TEXT NOT NULL,
        nation              TEXT,                     -- ISO 3166 alpha-3, or NATO / EU
        groups              TEXT NOT NULL DEFAULT '[]',  -- JSON array of declared groups
        operator            INTEGER NOT NULL DEFAULT 0,
        requests_per_minute REAL,                     -- NULL: the deployment default, 0: no limit
        requests_burst      INTEGER,
        daily_tokens        INTEGER,
        created_at          REAL NOT NULL,
        disabled_at         REAL
    );
    CREATE UNIQUE INDEX organisations_one_operator ON organisations (operator) WHERE operator = 1;
    CREATE TABLE users (
        id                  TEXT PRIMARY KEY,         -- login name
        organisation_id     TEXT NOT NULL REFERENCES organisations (id),
        name                TEXT NOT NULL,
        role                TEXT NOT NULL,
        clearance           TEXT NOT NULL DEFAULT 'UNCLASSIFIED',
        nationality         TEXT,
        caveats             TEXT NOT NULL DEFAULT '[]',
        oidc_subject        TEXT UNIQUE,
        requests_per_minute REAL,
        requests_burst      INTEGER,
        daily_tokens        INTEGER,
        created_at          REAL NOT NULL,
        disabled_at         REAL
    );
    CREATE INDEX users_organisation ON users (organisation_id);
    -- existing keys (role admin or user) become people of the operator organisation
    INSERT INTO organisations (id, name, operator, created_at)
        SELECT 'operator', 'Deployment operator', 1, t FROM (SELECT min(created_at) AS t FROM api_keys)
        WHERE t IS NOT NULL;
    INSERT INTO users (id, organisation_id, name, role, created_at)
        SELECT 'u-' || id, 'operator', name, CASE role WHEN 'admin' THEN 'admin' ELSE 'analyst' END, created_at
        FROM api_keys;
    CREATE TABLE api_keys_v2 (
        id           TEXT PRIMARY KEY,
        user_id      TEXT NOT NULL REFERENCES users (id),
        secret_hash  TEXT NOT NULL,
        name         TEXT NOT NULL,
        created_at   REAL NOT NULL,
        expires_at   REAL,
        revoked_at   REAL,
        last_used_at REAL
    );
    INSERT INTO api_keys_v2 (id, user_id, secret_hash, name, created_at, expires_at, revoked_at, last_used_at)
        SELECT id, 'u-' || id, secret_hash, name, created_at, expires_at, revoked_at, last_used_at FROM api_keys;
    DROP TABLE api_keys;
    ALTER TABLE api_keys_v2 RENAME TO api_keys;
    CREATE INDEX api_keys_user ON api_keys (user_id);
    ALTER TABLE models ADD COLUMN eligibility TEXT NOT NULL DEFAULT '{}';
    UPDATE models SET eligibility = '{"everyone": true}' WHERE builtin = 1;
    CREATE TABLE usage (
        day               TEXT NOT NULL,              -- UTC date, YYYY-MM-DD
        organisation_id   TEXT NOT NULL,
        user_id           TEXT NOT NULL,
        model             TEXT NOT NULL,
        requests          INTEGER NOT NULL DEFAULT 0,
        prompt_tokens     INTEGER NOT NULL DEFAULT 0,
        completion_tokens INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, organisation_id, user_id, model)
    );
    """,
    # 3: collections, documents and their chunks; the change log the search indexes follow
    """
    CREATE TABLE collections (
        id              TEXT PRIMARY KEY,
        organisation_id TEXT NOT NULL REFERENCES organisations (id),
        name            TEXT NOT NULL,
        description     TEXT NOT NULL DEFAULT '',
        created_by      TEXT NOT NULL,
        created_at      REAL NOT NULL,
        UNIQUE (organisation_id, name)
    );
    CREATE TABLE documents (
        id            TEXT PRIMARY KEY,
        collection_id TEXT NOT NULL REFERENCES collections (id),
        sha256        TEXT NOT NULL,               -- of the file's bytes: the same content is stored once
        filename      TEXT NOT NULL,
        title         TEXT NOT NULL,
        format        TEXT NOT NULL,
        marking       TEXT NOT NULL,               -- JSON: the document's (banner) marking
        pages         INTEGER,
        size_bytes    INTEGER NOT NULL,
        chunks        INTEGER NOT NULL,
        ingested_by   TEXT NOT NULL,
        ingested_at   REAL NOT NULL,
        UNIQUE (collection_id, sha256)
    );
    CREATE TABLE chunks (
        id          INTEGER PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents (id),
        ordinal     INTEGER NOT NULL,
        page        INTEGER,
        page_end    INTEGER,
        headings    TEXT NOT NULL,                 -- JSON array, outermost first
        marking     TEXT NOT NULL,                 -- JSON: the portion's marking, never below the document's
        text        TEXT NOT NULL,
        embedding   BLOB NOT NULL                  -- float32, L2-normalised
    );
    CREATE INDEX chunks_document ON chunks (document_id);
    CREATE TABLE retrieval_log (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        collection_id TEXT NOT NULL,
        document_id   TEXT NOT NULL,
        op            TEXT NOT NULL                -- 'add' or 'delete'
    );
    """,
    # 4: privacy: wrapped data keys per organisation, the pseudonym vault, privacy policies
    """
    CREATE TABLE privacy_keys (
        organisation TEXT PRIMARY KEY,
        nonce        BLOB NOT NULL,
        wrapped      BLOB NOT NULL,             -- the organisation's AES-256 key, sealed by the vault key
        created_at   REAL NOT NULL
    );
    CREATE TABLE privacy_vault (
        id           TEXT PRIMARY KEY,          -- the pseudonym table's public id (ps_...)
        organisation TEXT NOT NULL,
        created_by   TEXT NOT NULL,             -- the actor who made it
        created_at   REAL NOT NULL,
        updated_at   REAL NOT NULL,
        nonce        BLOB NOT NULL,
        ciphertext   BLOB NOT NULL              -- AES-GCM under the organisation's key, AAD: organisation and id
    );
    CREATE INDEX privacy_vault_updated ON privacy_vault (updated_at);
    CREATE TABLE privacy_policies (
        organisation TEXT PRIMARY KEY,
        body         TEXT NOT NULL,             -- JSON: the PrivacyPolicy fields
        updated_at   REAL NOT NULL
    );
    """,
    # 5: guardrails: policies per organisation, chunks flagged at ingestion for review
    """
    CREATE TABLE guard_policies (
        organisation TEXT PRIMARY KEY,
        body         TEXT NOT NULL,             -- JSON: actions per category, threshold, output, documents
        updated_at   REAL NOT NULL
    );
    CREATE TABLE guard_flags (
        chunk_id     TEXT PRIMARY KEY,
        document_id  TEXT NOT NULL,
        organisation TEXT NOT NULL,
        category     TEXT NOT NULL,
        score        REAL NOT NULL,
        reasons      TEXT NOT NULL,             -- JSON array
        flagged_at   REAL NOT NULL,
        reviewed_by  TEXT,                      -- NULL: waiting for an officer
        decision     TEXT                       -- 'withhold' or 'release'
    );
    CREATE INDEX guard_flags_org ON guard_flags (organisation, flagged_at);
    """,
    # 6: the acceptable-use policy that comes with a model's licence
    """
    ALTER TABLE models ADD COLUMN use_policy TEXT
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
