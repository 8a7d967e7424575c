"""API keys belong to people: created (shown once), listed (prefix only), expired, revoked; who may
do which to whose key is the policy's decision."""

from __future__ import annotations

import sqlite3

import pytest

from garrison.core.errors import AuthenticationFailed, InvalidRequest, NotFound, PermissionDenied
from garrison.core.events import AccessEvent
from garrison.security import apikeys
from tests.conftest import World


def test_key_format_and_parsing() -> None:
    new = apikeys.generate()
    assert new.secret.startswith(f"gsk_{new.id}_")
    assert apikeys.parse_id(new.secret) == new.id
    assert apikeys.matches(new.secret, new.secret_hash)
    assert not apikeys.matches(new.secret + "x", new.secret_hash)
    assert apikeys.parse_id("sk-openai-style") is None
    assert apikeys.parse_id("gsk_short_x") is None


def test_secret_is_never_stored_in_clear(world: World) -> None:
    world.add("alice", "mod-it", "analyst")
    keys, console = world.services.keys, world.services.console
    created = keys.create(console, "alice")
    path = world.rt.db.path
    world.rt.db.close()
    raw = path.read_bytes()  # closing checkpoints the WAL into the file
    assert created.key.split("_", 2)[2].encode() not in raw
    row = sqlite3.connect(path).execute("SELECT secret_hash, user_id FROM api_keys").fetchone()
    assert row == (apikeys.hash_key(created.key), "alice")


def test_a_key_acts_as_its_holder(world: World) -> None:
    world.add("m.rossi", "mod-it", "analyst", clearance="SECRET", caveats=["ATOMAL"])
    created = world.services.keys.create(world.services.console, "m.rossi", "laptop")
    p = world.services.keys.authenticate(created.key)
    assert (p.user_id, p.role, p.organisation, p.organisation_nation) == ("m.rossi", "analyst", "mod-it", "ITA")
    assert p.nationality == "ITA" and p.clearance.label == "SECRET" and p.caveats == {"ATOMAL"}
    assert p.organisation_groups == {"NATO", "EU"}  # by the organisation's nation
    assert p.key_id == created.id and p.actor == f"key:{created.id} user:m.rossi"


def test_authenticate_revoke_and_expire(world: World) -> None:
    world.add("bob", "mod-it", "analyst")
    keys, console, clock = world.services.keys, world.services.console, world.clock
    created = keys.create(console, "bob", expires_in_days=1)
    assert keys.authenticate(created.key).user_id == "bob"
    with pytest.raises(AuthenticationFailed) as wrong:
        keys.authenticate(created.key[:-2] + "zz")
    assert wrong.value.code == "invalid_api_key"
    clock.advance(86401)
    with pytest.raises(AuthenticationFailed) as expired:
        keys.authenticate(created.key)
    assert expired.value.code == "expired_api_key"

    other = keys.create(console, "bob")
    keys.revoke(console, other.id)
    with pytest.raises(AuthenticationFailed) as revoked:
        keys.authenticate(other.key)
    assert revoked.value.code == "revoked_api_key"
    with pytest.raises(NotFound):
        keys.revoke(console, "000000000000")
    listed = {row.id: row for row in keys.list(console, user_id="bob")}
    assert listed[other.id].revoked_at == clock.now()

    third = keys.create(console, "bob")
    row = keys.expire(console, third.id, clock.now() + 3600)  # an expiry to come: still works
    assert row.expires_at == clock.now() + 3600
    keys.authenticate(third.key)
    keys.expire(console, third.id)  # now
    with pytest.raises(AuthenticationFailed, match="expired"):
        keys.authenticate(third.key)


def test_disabling_a_person_or_their_organisation_stops_their_keys(world: World) -> None:
    world.add("carol", "dga-fr", "analyst")
    s = world.services
    key = s.keys.create(s.console, "carol").key
    s.identity.update_user(s.console, "carol", {"disabled": True})
    with pytest.raises(AuthenticationFailed) as user_off:
        s.keys.authenticate(key)
    assert user_off.value.code == "user_disabled"
    with pytest.raises(InvalidRequest, match="disabled"):
        s.keys.create(s.console, "carol")
    s.identity.update_user(s.console, "carol", {"disabled": False})
    s.keys.authenticate(key)
    s.identity.update_organisation(s.console, "dga-fr", {"disabled": True})
    with pytest.raises(AuthenticationFailed) as org_off:
        s.keys.authenticate(key)
    assert org_off.value.code == "organisation_disabled"


def test_create_rejects_bad_input(world: World) -> None:
    world.add("dan", "mod-it", "analyst")
    keys, console = world.services.keys, world.services.console
    with pytest.raises(InvalidRequest, match="name"):
        keys.create(console, "dan", "  ")
    with pytest.raises(InvalidRequest, match="positive"):
        keys.create(console, "dan", expires_in_days=0)
    with pytest.raises(NotFound, match="no user"):
        keys.create(console, "nobody-here")
    assert keys.list(console, user_id="dan") == []


def test_who_may_touch_whose_keys(world: World) -> None:
    analyst = world.add("ana", "mod-it", "analyst")
    colleague = world.add("beppe", "mod-it", "analyst")
    officer = world.add("so.it", "mod-it", "security_officer")
    french_officer = world.add("so.fr", "dga-fr", "security_officer")
    operator_admin = world.add("op.admin", "operator", "admin")
    keys = world.services.keys

    own = keys.create(analyst, "ana", "my laptop")  # key.own
    assert [r.id for r in keys.list(analyst)] == [own.id]  # by default: one's own
    with pytest.raises(PermissionDenied, match=r"key\.manage"):
        keys.create(analyst, "beppe")
    with pytest.raises(PermissionDenied):
        keys.revoke(colleague, own.id)
    with pytest.raises(PermissionDenied, match="another organisation"):
        keys.revoke(french_officer, own.id)

    keys.create(officer, "beppe")  # key.manage in the same organisation
    assert {r.user_id for r in keys.list(officer)} == {"ana", "beppe"}  # the organisation's keys
    keys.create(french_officer, "so.fr")
    assert {r.user_id for r in keys.list(operator_admin)} == {"ana", "beppe", "so.fr"}  # every key
    keys.revoke(operator_admin, own.id)  # the operator administers keys everywhere
    with pytest.raises(AuthenticationFailed):
        keys.authenticate(own.key)


def test_each_key_action_is_audited_allowed_or_refused(world: World) -> None:
    analyst = world.add("ana", "mod-it", "analyst")
    world.add("beppe", "mod-it", "analyst")
    world.services.keys.create(analyst, "ana")
    with pytest.raises(PermissionDenied):
        world.services.keys.create(analyst, "beppe")
    events = [(e.operation, e.allowed, e.resource) for e in world.audit.events if e.action.startswith("key.")]
    assert events[-2:] == [("key.create", True, "key:*"), ("key.create", False, "key:*")]
    refused = world.audit.events[-1]
    assert isinstance(refused, AccessEvent)
    assert refused.actor == "analyst:ana" and refused.details == {"user": "beppe"} and refused.reasons
    assert not any("gsk_" in str(e) for e in world.audit.events)  # no secret in any event


def test_last_used_is_recorded_without_a_write_per_request(world: World) -> None:
    world.add("dana", "mod-it", "analyst")
    keys, console, clock = world.services.keys, world.services.console, world.clock
    created = keys.create(console, "dana")

    def last_used() -> float | None:
        return {r.id: r for r in keys.list(console, user_id="dana")}[created.id].last_used_at

    keys.authenticate(created.key)
    first = last_used()
    assert first == clock.now()
    clock.advance(10)
    keys.authenticate(created.key)
    assert last_used() == first  # not rewritten yet
    clock.advance(60)
    keys.authenticate(created.key)
    assert last_used() == clock.now()
