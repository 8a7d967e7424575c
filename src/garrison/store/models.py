"""The model catalog table."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

from garrison.core.errors import Conflict, ModelNotFound
from garrison.core.types import Eligibility, ModelRecord
from garrison.store.db import Database

_FIELDS = [f.name for f in dataclasses.fields(ModelRecord)]


def _row(r: sqlite3.Row) -> ModelRecord:
    d = dict(r)
    d["embeddings"] = bool(d["embeddings"])
    d["builtin"] = bool(d["builtin"])
    d["eligibility"] = eligibility_from_json(d["eligibility"])
    return ModelRecord(**d)


def eligibility_to_json(e: Eligibility) -> str:
    return json.dumps(
        {
            "everyone": e.everyone,
            "nations": sorted(e.nations),
            "organisations": sorted(e.organisations),
            "groups": sorted(e.groups),
        }
    )


def eligibility_from_json(text: str) -> Eligibility:
    d = json.loads(text)
    return Eligibility(
        everyone=bool(d.get("everyone", False)),
        nations=frozenset(d.get("nations", ())),
        organisations=frozenset(d.get("organisations", ())),
        groups=frozenset(d.get("groups", ())),
    )


def _value(record: ModelRecord, name: str) -> object:
    value = getattr(record, name)
    return eligibility_to_json(value) if name == "eligibility" else value


class ModelRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def insert(self, record: ModelRecord, *, replace: bool = False) -> None:
        cols = ", ".join(_FIELDS)
        marks = ", ".join("?" for _ in _FIELDS)
        values = tuple(_value(record, f) for f in _FIELDS)
        with self._db.transaction() as conn:
            exists = conn.execute("SELECT 1 FROM models WHERE name=?", (record.name,)).fetchone()
            if exists and not replace:
                raise Conflict(f"a model named {record.name!r} is already registered")
            conn.execute(f"INSERT OR REPLACE INTO models ({cols}) VALUES ({marks})", values)  # noqa: S608 (fixed column names)

    def get(self, name: str) -> ModelRecord:
        rows = self._db.query("SELECT * FROM models WHERE name=?", (name,))
        if not rows:
            raise ModelNotFound(f"The model '{name}' does not exist", param="model")
        return _row(rows[0])

    def list(self) -> list[ModelRecord]:
        return [_row(r) for r in self._db.query("SELECT * FROM models ORDER BY builtin DESC, name")]

    def eligibility(self, name: str) -> Eligibility:
        """Read on every use, so a change takes effect on the next request, from any process."""
        rows = self._db.query("SELECT eligibility FROM models WHERE name=?", (name,))
        if not rows:
            raise ModelNotFound(f"The model '{name}' does not exist", param="model")
        return eligibility_from_json(rows[0][0])

    def set_eligibility(self, name: str, eligibility: Eligibility) -> None:
        with self._db.transaction() as conn:
            cur = conn.execute("UPDATE models SET eligibility=? WHERE name=?", (eligibility_to_json(eligibility), name))
            if cur.rowcount == 0:
                raise ModelNotFound(f"The model '{name}' does not exist", param="model")

    def remove(self, name: str) -> None:
        with self._db.transaction() as conn:
            if conn.execute("DELETE FROM models WHERE name=?", (name,)).rowcount == 0:
                raise ModelNotFound(f"The model '{name}' does not exist", param="model")
