"""API keys at rest: only the SHA-256 of the secret is stored. Every key belongs to a person."""

from __future__ import annotations

from dataclasses import dataclass

from garrison.core.errors import Conflict, NotFound
from garrison.core.types import Organisation, User
from garrison.store.db import Database
from garrison.store.identity import MEMBER_COLUMNS, MEMBER_JOIN, split_member

_KEY_COLUMNS = ("id", "user_id", "secret_hash", "name", "created_at", "expires_at", "revoked_at", "last_used_at")


@dataclass(frozen=True, slots=True)
class KeyRow:
    id: str
    user_id: str
    secret_hash: str
    name: str
    created_at: float
    expires_at: float | None
    revoked_at: float | None
    last_used_at: float | None


@dataclass(frozen=True, slots=True)
class KeyHolder:
    """A key with the person who holds it and their organisation: what authentication needs."""

    key: KeyRow
    user: User
    organisation: Organisation


class KeyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def insert(self, row: KeyRow) -> None:
        with self._db.transaction() as conn:
            if conn.execute("SELECT 1 FROM api_keys WHERE id=?", (row.id,)).fetchone():
                raise Conflict(f"an API key with id {row.id} already exists")
            if conn.execute("SELECT 1 FROM users WHERE id=?", (row.user_id,)).fetchone() is None:
                raise NotFound(f"no user with id {row.user_id!r}")
            conn.execute(
                f"INSERT INTO api_keys ({', '.join(_KEY_COLUMNS)}) VALUES ({', '.join('?' * len(_KEY_COLUMNS))})",  # noqa: S608
                tuple(getattr(row, c) for c in _KEY_COLUMNS),
            )

    def get(self, key_id: str) -> KeyRow | None:
        rows = self._db.query("SELECT * FROM api_keys WHERE id=?", (key_id,))
        return KeyRow(**dict(rows[0])) if rows else None

    def holder(self, key_id: str) -> KeyHolder | None:
        """The key, its holder and their organisation in one indexed read."""
        key_cols = ", ".join(f"k.{c} AS k_{c}" for c in _KEY_COLUMNS)
        rows = self._db.query(
            f"SELECT {key_cols}, {MEMBER_COLUMNS} FROM {MEMBER_JOIN} JOIN api_keys k ON k.user_id = u.id"  # noqa: S608
            " WHERE k.id=?",
            (key_id,),
        )
        if not rows:
            return None
        d = dict(rows[0])
        key = KeyRow(**{c: d[f"k_{c}"] for c in _KEY_COLUMNS})
        user, org = split_member(d)
        return KeyHolder(key, user, org)

    def list(self, *, user_id: str | None = None, organisation: str | None = None) -> list[KeyRow]:
        sql = "SELECT k.* FROM api_keys k JOIN users u ON u.id = k.user_id WHERE 1=1"
        params: list[object] = []
        if user_id is not None:
            sql += " AND k.user_id=?"
            params.append(user_id)
        if organisation is not None:
            sql += " AND u.organisation_id=?"
            params.append(organisation)
        return [KeyRow(**dict(r)) for r in self._db.query(sql + " ORDER BY k.created_at", tuple(params))]

    def count(self) -> int:
        return int(self._db.query("SELECT count(*) FROM api_keys")[0][0])

    def revoke(self, key_id: str, at: float) -> None:
        with self._db.transaction() as conn:
            cur = conn.execute("UPDATE api_keys SET revoked_at=? WHERE id=? AND revoked_at IS NULL", (at, key_id))
            # the existence check runs only when nothing was updated (unknown, or already revoked)
            if cur.rowcount == 0 and conn.execute("SELECT 1 FROM api_keys WHERE id=?", (key_id,)).fetchone() is None:
                raise NotFound(f"no API key with id {key_id}")

    def expire(self, key_id: str, at: float) -> None:
        with self._db.transaction() as conn:
            if conn.execute("UPDATE api_keys SET expires_at=? WHERE id=?", (at, key_id)).rowcount == 0:
                raise NotFound(f"no API key with id {key_id}")

    def touch(self, key_id: str, at: float) -> None:
        with self._db.transaction() as conn:
            conn.execute("UPDATE api_keys SET last_used_at=? WHERE id=?", (at, key_id))
