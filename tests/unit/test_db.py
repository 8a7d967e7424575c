from __future__ import annotations

from pathlib import Path

import pytest

from garrison.core.errors import ConfigurationError
from garrison.store.db import MIGRATIONS, Database


def test_migrations_apply_once_and_record_the_version(tmp_path: Path) -> None:
    db = Database(tmp_path / "g.db")
    assert db.migrate() == len(MIGRATIONS)
    assert db.migrate() == len(MIGRATIONS)  # idempotent
    tables = {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"api_keys", "models"} <= tables
    assert db.query("PRAGMA journal_mode")[0][0] == "wal"


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = Database(tmp_path / "g.db")
    db.migrate()
    with db.transaction() as conn:
        conn.execute("PRAGMA user_version=999")
    with pytest.raises(ConfigurationError, match="newer than this Garrison knows"):
        db.migrate()


def test_a_failed_transaction_leaves_no_trace(tmp_path: Path) -> None:
    db = Database(tmp_path / "g.db")
    db.migrate()
    with pytest.raises(RuntimeError), db.transaction() as conn:
        conn.execute("INSERT INTO api_keys (id, secret_hash, name, role, created_at) VALUES ('a','h','n','user',1)")
        raise RuntimeError("disk full")
    assert db.query("SELECT count(*) FROM api_keys")[0][0] == 0


def test_storage_failures_are_typed_and_roll_back(tmp_path: Path) -> None:
    from garrison.core.errors import StorageUnavailable

    db = Database(tmp_path / "g.db")
    db.migrate()
    with pytest.raises(StorageUnavailable, match="rolled back"), db.transaction() as conn:
        conn.execute("INSERT INTO api_keys (id, secret_hash, name, role, created_at) VALUES ('a','h','n','u',1)")
        conn.execute("INSERT INTO no_such_table VALUES (1)")
    assert db.query("SELECT count(*) FROM api_keys")[0][0] == 0
    assert (tmp_path / "g.db").stat().st_mode & 0o777 == 0o600


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path: Path) -> None:
    bogus = tmp_path / "g.db"
    bogus.write_bytes(b"this is a maintenance manual, not a database" * 100)
    with pytest.raises(ConfigurationError, match="cannot use database"):
        Database(bogus)
    assert bogus.read_bytes().startswith(b"this is a maintenance manual")
