from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from garrison.core.clock import FixedClock
from garrison.core.errors import AuthenticationFailed, InvalidRequest, NotFound
from garrison.security import apikeys
from garrison.service.keys import KeyService
from garrison.store.db import Database
from garrison.store.keys import KeyRepository


@pytest.fixture
def service(tmp_path: Path) -> tuple[KeyService, FixedClock, Database]:
    db = Database(tmp_path / "g.db")
    db.migrate()
    clock = FixedClock()
    return KeyService(KeyRepository(db), clock), clock, db


def test_key_format_and_parsing() -> None:
    new = apikeys.generate()
    assert new.secret.startswith(f"gsk_{new.id}_")
    assert apikeys.parse_id(new.secret) == new.id
    assert apikeys.matches(new.secret, new.secret_hash)
    assert not apikeys.matches(new.secret + "x", new.secret_hash)
    assert apikeys.parse_id("sk-openai-style") is None
    assert apikeys.parse_id("gsk_short_x") is None


def test_secret_is_never_stored_in_clear(service: tuple[KeyService, FixedClock, Database], tmp_path: Path) -> None:
    keys, _, db = service
    created = keys.create("alice")
    db.close()
    raw = (tmp_path / "g.db").read_bytes()
    secret_part = created.key.split("_", 2)[2]
    assert secret_part.encode() not in raw
    row = sqlite3.connect(tmp_path / "g.db").execute("SELECT secret_hash FROM api_keys").fetchone()
    assert row[0] == apikeys.hash_key(created.key)


def test_authenticate_revoke_and_expire(service: tuple[KeyService, FixedClock, Database]) -> None:
    keys, clock, _ = service
    created = keys.create("bob", role="user", expires_in_days=1)
    assert keys.authenticate(created.key).name == "bob"
    with pytest.raises(AuthenticationFailed) as wrong:
        keys.authenticate(created.key[:-2] + "zz")
    assert wrong.value.code == "invalid_api_key"
    with pytest.raises(AuthenticationFailed) as missing:
        keys.authenticate(None)
    assert missing.value.code == "missing_api_key"
    clock.advance(86401)
    with pytest.raises(AuthenticationFailed) as expired:
        keys.authenticate(created.key)
    assert expired.value.code == "expired_api_key"

    other = keys.create("carol")
    keys.revoke(other.id)
    with pytest.raises(AuthenticationFailed) as revoked:
        keys.authenticate(other.key)
    assert revoked.value.code == "revoked_api_key"
    with pytest.raises(NotFound):
        keys.revoke("000000000000")
    listed = {row.id: row for row in keys.list()}
    assert listed[other.id].revoked_at == clock.now()


def test_create_rejects_bad_input(service: tuple[KeyService, FixedClock, Database]) -> None:
    keys, _, _ = service
    with pytest.raises(InvalidRequest, match="unknown role"):
        keys.create("x", role="root")
    with pytest.raises(InvalidRequest, match="name"):
        keys.create("  ")
    with pytest.raises(InvalidRequest, match="positive"):
        keys.create("x", expires_in_days=0)
    assert keys.list() == []


def test_last_used_is_recorded_without_a_write_per_request(service: tuple[KeyService, FixedClock, Database]) -> None:
    keys, clock, _ = service
    created = keys.create("dana")
    keys.authenticate(created.key)
    first = {r.id: r for r in keys.list()}[created.id].last_used_at
    assert first == clock.now()
    clock.advance(10)
    keys.authenticate(created.key)
    assert {r.id: r for r in keys.list()}[created.id].last_used_at == first  # not rewritten yet
    clock.advance(60)
    keys.authenticate(created.key)
    assert {r.id: r for r in keys.list()}[created.id].last_used_at == clock.now()
