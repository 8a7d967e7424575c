"""Privacy at rest: each organisation's wrapped data key, the encrypted pseudonym tables (the
vault), and each organisation's privacy policy. Nothing here is readable without the vault key."""

from __future__ import annotations

import json
from dataclasses import dataclass

from garrison.store.db import Database


@dataclass(frozen=True, slots=True)
class Sealed:
    """An AES-GCM ciphertext and its nonce."""

    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True, slots=True)
class VaultEntry:
    id: str
    organisation: str
    created_by: str
    created_at: float
    updated_at: float
    sealed: Sealed


class PrivacyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- data keys ------------------------------------------------------------------------------
    def wrapped_key(self, organisation: str) -> Sealed | None:
        rows = self._db.query("SELECT nonce, wrapped FROM privacy_keys WHERE organisation = ?", (organisation,))
        return Sealed(rows[0]["nonce"], rows[0]["wrapped"]) if rows else None

    def add_key(self, organisation: str, sealed: Sealed, at: float) -> Sealed:
        """Store a new wrapped key unless one exists (two first uses at once: the first stored wins)."""
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO privacy_keys (organisation, nonce, wrapped, created_at) VALUES (?,?,?,?)",
                (organisation, sealed.nonce, sealed.ciphertext, at),
            )
        found = self.wrapped_key(organisation)
        assert found is not None
        return found

    def key_count(self) -> int:
        return int(self._db.query("SELECT count(*) FROM privacy_keys")[0][0])

    # -- the vault ------------------------------------------------------------------------------
    def entry(self, entry_id: str) -> VaultEntry | None:
        rows = self._db.query("SELECT * FROM privacy_vault WHERE id = ?", (entry_id,))
        if not rows:
            return None
        r = rows[0]
        return VaultEntry(
            r["id"],
            r["organisation"],
            r["created_by"],
            r["created_at"],
            r["updated_at"],
            Sealed(r["nonce"], r["ciphertext"]),
        )

    def put(self, entry: VaultEntry) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO privacy_vault (id, organisation, created_by, created_at, updated_at, nonce, ciphertext)"
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at,"
                " nonce = excluded.nonce, ciphertext = excluded.ciphertext WHERE organisation = excluded.organisation",
                (
                    entry.id,
                    entry.organisation,
                    entry.created_by,
                    entry.created_at,
                    entry.updated_at,
                    entry.sealed.nonce,
                    entry.sealed.ciphertext,
                ),
            )

    def purge(self, before: float) -> int:
        """Forget pseudonym tables not used since ``before``; return how many."""
        with self._db.transaction() as conn:
            return conn.execute("DELETE FROM privacy_vault WHERE updated_at < ?", (before,)).rowcount

    # -- policies -------------------------------------------------------------------------------
    def policy(self, organisation: str) -> dict[str, object] | None:
        rows = self._db.query("SELECT body FROM privacy_policies WHERE organisation = ?", (organisation,))
        return json.loads(rows[0]["body"]) if rows else None

    def set_policy(self, organisation: str, body: dict[str, object], at: float) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO privacy_policies (organisation, body, updated_at) VALUES (?,?,?)"
                " ON CONFLICT (organisation) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                (organisation, json.dumps(body, sort_keys=True), at),
            )
