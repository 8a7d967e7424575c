"""Guardrails at rest: each organisation's guard policy, and the chunks flagged at ingestion."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from garrison.core.guard import Flag
from garrison.store.db import Database


class GuardRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def policy(self, organisation: str) -> dict[str, object] | None:
        rows = self._db.query("SELECT body FROM guard_policies WHERE organisation = ?", (organisation,))
        return json.loads(rows[0]["body"]) if rows else None

    def set_policy(self, organisation: str, body: dict[str, object], at: float) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO guard_policies (organisation, body, updated_at) VALUES (?,?,?)"
                " ON CONFLICT (organisation) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                (organisation, json.dumps(body, sort_keys=True), at),
            )

    def add_flags(self, flags: Iterable[Flag]) -> None:
        rows = [
            (f.chunk_id, f.document_id, f.organisation, f.category, f.score, json.dumps(list(f.reasons)), f.flagged_at)
            for f in flags
        ]
        if rows:
            with self._db.transaction() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO guard_flags (chunk_id, document_id, organisation, category, score, reasons,"
                    " flagged_at) VALUES (?,?,?,?,?,?,?)",
                    rows,
                )

    def flags(self, organisation: str, *, pending: bool = False) -> list[Flag]:
        sql = "SELECT * FROM guard_flags WHERE organisation = ?"
        if pending:
            sql += " AND decision IS NULL"
        return [_flag(r) for r in self._db.query(sql + " ORDER BY flagged_at, chunk_id", (organisation,))]

    def flag(self, chunk_id: str) -> Flag | None:
        rows = self._db.query("SELECT * FROM guard_flags WHERE chunk_id = ?", (chunk_id,))
        return _flag(rows[0]) if rows else None

    def review(self, chunk_id: str, reviewer: str, decision: str) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE guard_flags SET reviewed_by = ?, decision = ? WHERE chunk_id = ?",
                (reviewer, decision, chunk_id),
            )


def _flag(row: sqlite3.Row) -> Flag:
    return Flag(
        row["chunk_id"],
        row["document_id"],
        row["organisation"],
        row["category"],
        row["score"],
        tuple(json.loads(row["reasons"])),
        row["flagged_at"],
        row["reviewed_by"],
        row["decision"],
    )
