"""API keys at rest: only the SHA-256 of the secret is stored."""

from __future__ import annotations

from dataclasses import dataclass

from garrison.core.errors import Conflict, NotFound
from garrison.store.db import Database


@dataclass(frozen=True, slots=True)
class KeyRow:
    id: str
    secret_hash: str
    name: str
    role: str
    created_at: float
    expires_at: float | None
    revoked_at: float | None
    last_used_at: float | None


class KeyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def insert(self, row: KeyRow) -> None:
        with self._db.transaction() as conn:
            if conn.execute("SELECT 1 FROM api_keys WHERE id=?", (row.id,)).fetchone():
                raise Conflict(f"an API key with id {row.id} already exists")
            conn.execute(
                "INSERT INTO api_keys (id, secret_hash, name, role, created_at, expires_at,"
                " revoked_at, last_used_at) VALUES (?,?,?,?,?,?,?,?)",
                (
                    row.id,
                    row.secret_hash,
                    row.name,
                    row.role,
                    row.created_at,
                    row.expires_at,
                    row.revoked_at,
                    row.last_used_at,
                ),
            )

    def get(self, key_id: str) -> KeyRow | None:
        rows = self._db.query("SELECT * FROM api_keys WHERE id=?", (key_id,))
        return KeyRow(**dict(rows[0])) if rows else None

    def list(self) -> list[KeyRow]:
        return [KeyRow(**dict(r)) for r in self._db.query("SELECT * FROM api_keys ORDER BY created_at")]

    def count(self) -> int:
        return int(self._db.query("SELECT count(*) FROM api_keys")[0][0])

    def revoke(self, key_id: str, at: float) -> None:
        with self._db.transaction() as conn:
            cur = conn.execute("UPDATE api_keys SET revoked_at=? WHERE id=? AND revoked_at IS NULL", (at, key_id))
            # the existence check runs only when nothing was updated (unknown, or already revoked)
            if cur.rowcount == 0 and conn.execute("SELECT 1 FROM api_keys WHERE id=?", (key_id,)).fetchone() is None:
                raise NotFound(f"no API key with id {key_id}")

    def touch(self, key_id: str, at: float) -> None:
        with self._db.transaction() as conn:
            conn.execute("UPDATE api_keys SET last_used_at=? WHERE id=?", (at, key_id))
