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
    assert {"api_keys", "models", "organisations", "users", "usage"} <= tables
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
        conn.execute("INSERT INTO organisations (id, name, created_at) VALUES ('o', 'O', 1)")
        raise RuntimeError("disk full")
    assert db.query("SELECT count(*) FROM organisations")[0][0] == 0


def test_storage_failures_are_typed_and_roll_back(tmp_path: Path) -> None:
    from garrison.core.errors import StorageUnavailable

    db = Database(tmp_path / "g.db")
    db.migrate()
    with pytest.raises(StorageUnavailable, match="rolled back"), db.transaction() as conn:
        conn.execute("INSERT INTO organisations (id, name, created_at) VALUES ('o', 'O', 1)")
        conn.execute("INSERT INTO no_such_table VALUES (1)")
    assert db.query("SELECT count(*) FROM organisations")[0][0] == 0
    assert (tmp_path / "g.db").stat().st_mode & 0o777 == 0o600


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path: Path) -> None:
    bogus = tmp_path / "g.db"
    bogus.write_bytes(b"this is a maintenance manual, not a database" * 100)
    with pytest.raises(ConfigurationError, match="cannot use database"):
        Database(bogus)
    assert bogus.read_bytes().startswith(b"this is a maintenance manual")


def test_version_1_keys_become_people_of_the_operator(tmp_path: Path) -> None:
    """A database from the first release: its keys keep working, each now held by a person."""
    import sqlite3

    path = tmp_path / "g.db"
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[0].split(";"):
        conn.execute(statement)
    conn.executemany(
        "INSERT INTO api_keys (id, secret_hash, name, role, created_at, revoked_at) VALUES (?,?,?,?,?,?)",
        [
            ("aaaaaaaaaaaa", "h1", "bootstrap admin", "admin", 10.0, None),
            ("bbbbbbbbbbbb", "h2", "tech", "user", 20.0, 25.0),
        ],
    )
    conn.execute(
        "INSERT INTO models (name, engine, license, origin, context_length, builtin, added_at) VALUES"
        " ('smollm2-135m-instruct', 'llamacpp', 'Apache-2.0', 'x', 8192, 1, 1), ('usb', 'llamacpp', 'x', 'x', 1, 0, 1)"
    )
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    db = Database(path)
    assert db.migrate() == len(MIGRATIONS)
    assert [tuple(r) for r in db.query("SELECT id, operator, created_at FROM organisations")] == [("operator", 1, 10.0)]
    people = [tuple(r) for r in db.query("SELECT id, organisation_id, name, role FROM users ORDER BY id")]
    assert people == [
        ("u-aaaaaaaaaaaa", "operator", "bootstrap admin", "admin"),
        ("u-bbbbbbbbbbbb", "operator", "tech", "analyst"),
    ]
    keys = [tuple(r) for r in db.query("SELECT id, user_id, secret_hash, revoked_at FROM api_keys ORDER BY id")]
    assert keys == [("aaaaaaaaaaaa", "u-aaaaaaaaaaaa", "h1", None), ("bbbbbbbbbbbb", "u-bbbbbbbbbbbb", "h2", 25.0)]
    eligibility = {r[0]: r[1] for r in db.query("SELECT name, eligibility FROM models")}
    assert eligibility == {"smollm2-135m-instruct": '{"everyone": true}', "usb": "{}"}  # the rest: nobody


def test_an_empty_version_1_database_migrates_without_inventing_anyone(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "g.db"
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[0].split(";"):
        conn.execute(statement)
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    db = Database(path)
    db.migrate()
    assert db.query("SELECT count(*) FROM organisations")[0][0] == 0
