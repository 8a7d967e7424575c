"""The audit log's own SQLite file (``audit.db``): records, their tree hashes, signed checkpoints.

A file of its own, apart from garrison.db: its appends never wait for the store's writer lock, it
can live on other (write-once) storage, and an inspector is handed one file. WAL journal with
``synchronous=FULL``: a commit returns once its records are on disk.

Row ``seq`` (1, 2, ...) is leaf ``seq - 1`` of the RFC 6962 tree. ``nodes`` holds the hashes of the
perfect subtrees that this leaf completes, level 1 upward (leaf ``i`` completes as many as ``i``
has trailing one bits), so the node at (level ``L`` >= 1, index ``j``) is stored in row
``(j + 1) << L`` and any proof or root is a few primary-key reads. Triggers refuse UPDATE and
DELETE: nothing in the product changes a record (someone with the file can still try; that is
what verification is for).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from garrison.core.errors import ConfigurationError, StorageUnavailable

HASH = 32
SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    seq   INTEGER PRIMARY KEY,
    body  TEXT NOT NULL,
    leaf  BLOB NOT NULL,
    nodes BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS records_at ON records (json_extract(body, '$.at'));
CREATE TABLE IF NOT EXISTS checkpoints (
    size      INTEGER PRIMARY KEY,
    signed_at REAL NOT NULL,
    note      TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records
    BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records
    BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS checkpoints_no_update BEFORE UPDATE ON checkpoints
    BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
CREATE TRIGGER IF NOT EXISTS checkpoints_no_delete BEFORE DELETE ON checkpoints
    BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END
"""


@dataclass(frozen=True, slots=True)
class Row:
    seq: int
    body: str
    leaf: bytes
    nodes: bytes


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    size: int
    signed_at: float
    note: str


@dataclass(frozen=True, slots=True)
class Filter:
    since: float | None = None
    until: float | None = None
    actor: str | None = None  # substring of the actor
    action: str | None = None  # an action or operation, or a prefix ending in "."
    allowed: bool | None = None
    kind: str | None = None
    organisation: str | None = None  # only this organisation's records (None: all)
    after_seq: int = 0
    limit: int | None = None


class AuditStore:
    """Two connections: one for the writer (appends, checkpoints), one for readers (WAL lets them
    read while the writer commits)."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = path
        if not create and not path.exists():
            raise ConfigurationError(f"there is no audit log at {path}: run `garrison init`")
        self._w = self._connect()
        self._r = self._connect()
        self._wlock = threading.Lock()
        self._rlock = threading.Lock()
        try:
            self._w.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise ConfigurationError(f"cannot use audit log {path}: {exc}") from exc
        with contextlib.suppress(OSError):
            path.chmod(0o600)

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30.0)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as exc:
            raise ConfigurationError(f"cannot open audit log {self.path}: {exc}") from exc
        return conn

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: other processes' appends wait for it)."""
        with self._wlock:
            try:
                self._w.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _unavailable(self.path, exc) from exc
            try:
                yield self._w
                self._w.execute("COMMIT")
            except BaseException as exc:
                if self._w.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self._w.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise _unavailable(self.path, exc) from exc
                raise

    @staticmethod
    def append(conn: sqlite3.Connection, rows: Sequence[Row]) -> None:
        conn.executemany(
            "INSERT INTO records (seq, body, leaf, nodes) VALUES (?, ?, ?, ?)",
            [(r.seq, r.body, r.leaf, r.nodes) for r in rows],
        )

    @staticmethod
    def add_checkpoint(conn: sqlite3.Connection, size: int, signed_at: float, note: str) -> None:
        conn.execute("INSERT INTO checkpoints (size, signed_at, note) VALUES (?, ?, ?)", (size, signed_at, note))

    # -- reading (either connection: the writer reads inside its transaction) ------------------
    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        with self._rlock:
            try:
                yield self._r
            except sqlite3.Error as exc:
                raise _unavailable(self.path, exc) from exc

    @staticmethod
    def size(conn: sqlite3.Connection) -> int:
        return int(conn.execute("SELECT coalesce(max(seq), 0) FROM records").fetchone()[0])

    @staticmethod
    def node(conn: sqlite3.Connection, level: int, index: int) -> bytes:
        """The stored hash of the perfect subtree (level, index); KeyError when it is not there."""
        seq = (index + 1) << level
        if level == 0:
            row = conn.execute("SELECT leaf FROM records WHERE seq = ?", (seq,)).fetchone()
            value = bytes(row[0]) if row else b""
        else:
            row = conn.execute("SELECT nodes FROM records WHERE seq = ?", (seq,)).fetchone()
            value = bytes(row[0])[(level - 1) * HASH : level * HASH] if row else b""
        if len(value) != HASH:
            raise KeyError(f"the tree hash at level {level}, index {index} (record {seq}) is missing or damaged")
        return value

    @staticmethod
    def rows(conn: sqlite3.Connection, first: int = 1, last: int | None = None, batch: int = 4096) -> Iterator[Row]:
        """Records in the order they are stored (by seq) from ``first`` to ``last``."""
        cur = conn.execute(
            "SELECT seq, body, leaf, nodes FROM records WHERE seq >= ? AND seq <= ? ORDER BY seq",
            (first, last if last is not None else 2**62),
        )
        while chunk := cur.fetchmany(batch):
            for seq, body, leaf, nodes in chunk:
                yield Row(seq, body, leaf, nodes)

    @staticmethod
    def checkpoints(conn: sqlite3.Connection) -> list[StoredCheckpoint]:
        return [
            StoredCheckpoint(int(s), float(t), str(n))
            for s, t, n in conn.execute("SELECT size, signed_at, note FROM checkpoints ORDER BY size")
        ]

    @staticmethod
    def latest_checkpoint(conn: sqlite3.Connection) -> StoredCheckpoint | None:
        row = conn.execute("SELECT size, signed_at, note FROM checkpoints ORDER BY size DESC LIMIT 1").fetchone()
        return StoredCheckpoint(int(row[0]), float(row[1]), str(row[2])) if row else None

    @staticmethod
    def select(conn: sqlite3.Connection, f: Filter) -> Iterator[tuple[int, str]]:
        """(seq, body) of the records that pass the filter, oldest first."""
        where: list[str] = ["seq > ?"]
        params: list[object] = [f.after_seq]
        at = "json_extract(body, '$.at')"
        if f.since is not None:
            where.append(f"{at} >= ?")
            params.append(f.since)
        if f.until is not None:
            where.append(f"{at} < ?")
            params.append(f.until)
        if f.actor:
            where.append("instr(json_extract(body, '$.actor'), ?) > 0")
            params.append(f.actor)
        if f.action:
            if f.action.endswith("."):
                where.append(
                    "(json_extract(body, '$.action') LIKE ? ESCAPE '\\'"
                    " OR json_extract(body, '$.operation') LIKE ? ESCAPE '\\')"
                )
                pattern = f.action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                params += [pattern, pattern]
            else:
                where.append("(json_extract(body, '$.action') = ? OR json_extract(body, '$.operation') = ?)")
                params += [f.action, f.action]
        if f.allowed is not None:
            where.append("json_extract(body, '$.allowed') = ?")
            params.append(1 if f.allowed else 0)
        if f.kind:
            where.append("json_extract(body, '$.kind') = ?")
            params.append(f.kind)
        if f.organisation is not None:
            where.append("json_extract(body, '$.organisation') = ?")
            params.append(f.organisation)
        sql = f"SELECT seq, body FROM records WHERE {' AND '.join(where)} ORDER BY seq"  # noqa: S608 - fixed fragments
        if f.limit is not None:
            sql += f" LIMIT {int(f.limit)}"
        for seq, body in conn.execute(sql, params):
            yield int(seq), str(body)

    def close(self) -> None:
        for lock, conn in ((self._wlock, self._w), (self._rlock, self._r)):
            with lock, contextlib.suppress(sqlite3.Error):
                conn.close()


def _unavailable(path: Path, exc: sqlite3.Error) -> StorageUnavailable:
    return StorageUnavailable(f"audit log {path}: {exc}; the records of this batch were not written")
