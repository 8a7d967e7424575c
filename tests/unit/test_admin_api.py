"""The admin API over HTTP (FakeEngine): organisations, people, keys, eligibility, usage; every
refusal an OpenAI-shaped 4xx that says why; routes never decide, the policy does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from garrison.app import create_asgi
from garrison.core.types import EVERYONE, Eligibility
from garrison.store.models import ModelRepository
from tests.conftest import World, fake_record

Client = httpx.AsyncClient


@dataclass
class Api:
    world: World
    keys: dict[str, str]  # user -> key
    app: FastAPI


@pytest.fixture
async def api(world: World) -> AsyncIterator[Api]:
    """The app, and a key for each of: the operator's admin, mod-it's admin, officer, analyst and
    auditor, and a French analyst."""
    repo = ModelRepository(world.rt.db)
    repo.insert(fake_record("open-model", eligibility=EVERYONE))
    repo.insert(fake_record("nato-model", eligibility=Eligibility(groups=frozenset({"NATO"}))))
    repo.insert(fake_record("usa-model", eligibility=Eligibility(nations=frozenset({"USA"}))))
    s = world.services
    people = {
        "op": ("operator", "admin"),
        "it.admin": ("mod-it", "admin"),
        "it.officer": ("mod-it", "security_officer"),
        "it.analyst": ("mod-it", "analyst"),
        "it.auditor": ("mod-it", "auditor"),
        "fr.analyst": ("dga-fr", "analyst"),
    }
    keys = {}
    for user, (org, role) in people.items():
        world.add(user, org, role, **({"clearance": "SECRET"} if role == "security_officer" else {}))
        keys[user] = s.keys.create(s.console, user).key
    app = create_asgi(world.rt)
    async with app.router.lifespan_context(app):
        yield Api(world, keys, app)


def with_key(api: Api, key: str) -> Client:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=api.app),
        base_url="http://127.0.0.1",
        headers={"Authorization": f"Bearer {key}"},
    )


def as_(api: Api, user: str) -> Client:
    return with_key(api, api.keys[user])


def error(r: httpx.Response, status: int, code: str) -> str:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) == {"message", "type", "param", "code"} and err["code"] == code
    return str(err["message"])


async def test_me_tells_who_is_calling(api: Api) -> None:
    async with as_(api, "fr.analyst") as c:
        me = (await c.get("/v1/me")).json()
    assert me["user"] == "fr.analyst" and me["organisation"] == "dga-fr" and me["organisation_nation"] == "FRA"
    assert me["organisation_groups"] == ["EU", "NATO"] and me["clearance"] == "UNCLASSIFIED"
    assert me["key_id"] == api.keys["fr.analyst"].split("_")[1] and me["operator"] is False


async def test_models_list_only_what_the_caller_may_use_and_403_the_rest(api: Api) -> None:
    async with as_(api, "fr.analyst") as fr, as_(api, "it.analyst") as it:
        assert [m["id"] for m in (await fr.get("/v1/models")).json()["data"]] == ["nato-model", "open-model"]
        body = {"model": "nato-model", "messages": [{"role": "user", "content": "pompe hydraulique"}]}
        assert (await fr.post("/v1/chat/completions", json=body)).status_code == 200
        refused = await fr.post("/v1/chat/completions", json={**body, "model": "usa-model"})
        message = error(refused, 403, "model_not_eligible")
        assert "usa-model is released to USA, not to dga-fr (FRA)" in message
        assert refused.json()["error"]["type"] == "permission_error"
        stream = await fr.post("/v1/chat/completions", json={**body, "model": "usa-model", "stream": True})
        error(stream, 403, "model_not_eligible")  # before the stream opens
        error(await fr.get("/v1/models/usa-model"), 403, "model_not_eligible")
        error(await fr.post("/v1/embeddings", json={"model": "usa-model", "input": "x"}), 403, "model_not_eligible")
        assert (await fr.get("/v1/models/nato-model")).json()["id"] == "nato-model"
        assert [m["id"] for m in (await it.get("/v1/models")).json()["data"]] == ["nato-model", "open-model"]
    world = api.world
    refusals = [e for e in world.audit.events if not e.allowed and e.action == "model.use"]
    assert refusals and refusals[0].resource == "model:usa-model" and "released to USA" in refusals[0].reasons[0]


async def test_eligibility_changes_apply_to_the_next_request(api: Api) -> None:
    async with as_(api, "op") as op, as_(api, "fr.analyst") as fr, as_(api, "it.admin") as it_admin:
        r = await op.put("/v1/admin/models/usa-model/eligibility", json={"eligibility": ["USA", "org:dga-fr"]})
        assert r.status_code == 200 and r.json()["eligibility"] == ["USA", "org:dga-fr"]
        assert "usa-model" in [m["id"] for m in (await fr.get("/v1/models")).json()["data"]]
        bad = await op.put("/v1/admin/models/usa-model/eligibility", json={"eligibility": ["Gondor"]})
        assert "ISO 3166" in error(bad, 400, "invalid_request")
        error(await op.put("/v1/admin/models/ghost/eligibility", json={"eligibility": []}), 404, "model_not_found")
        refused = await it_admin.put("/v1/admin/models/usa-model/eligibility", json={"eligibility": ["everyone"]})
        assert "only the operator's administrators" in error(refused, 403, "permission_denied")
        catalog = (await op.get("/v1/admin/models")).json()["data"]
        assert {m["id"]: m["eligibility"] for m in catalog}["nato-model"] == ["NATO"]
        error(await it_admin.get("/v1/admin/models"), 403, "permission_denied")


async def test_organisations_are_the_operators_to_manage(api: Api) -> None:
    async with as_(api, "op") as op, as_(api, "it.admin") as it_admin, as_(api, "it.auditor") as auditor:
        r = await op.post("/v1/admin/organisations", json={"id": "bmvg-de", "name": "BMVg", "nation": "DEU"})
        assert r.status_code == 201 and r.json()["nation"] == "DEU" and r.json()["operator"] is False
        assert len((await op.get("/v1/admin/organisations")).json()["data"]) == 6
        assert [o["id"] for o in (await it_admin.get("/v1/admin/organisations")).json()["data"]] == ["mod-it"]
        assert [o["id"] for o in (await auditor.get("/v1/admin/organisations")).json()["data"]] == ["mod-it"]
        error(await it_admin.get("/v1/admin/organisations/dga-fr"), 403, "permission_denied")
        raise_own = await it_admin.patch("/v1/admin/organisations/mod-it", json={"daily_tokens": 10**9})
        assert "only the operator's administrators" in error(raise_own, 403, "permission_denied")
        r = await op.patch("/v1/admin/organisations/mod-it", json={"daily_tokens": 1000, "requests_per_minute": 60})
        assert r.json()["quota"] == {"requests_per_minute": 60.0, "requests_burst": None, "daily_tokens": 1000}
        r = await op.patch("/v1/admin/organisations/mod-it", json={"requests_per_minute": None})  # back to default
        assert r.json()["quota"]["requests_per_minute"] is None and r.json()["quota"]["daily_tokens"] == 1000
        for body, code, text in (
            ({"id": "x", "name": "X", "nation": "Narnia"}, "invalid_request", "ISO 3166 alpha-3"),
            ({"id": "x", "name": "X", "groups": ["ANZUS"]}, "invalid_request", "unknown group 'ANZUS'"),
            ({"id": "X Y", "name": "X"}, "invalid_request", "not valid"),
            ({"id": "x", "name": "X", "colour": "red"}, "invalid_value", "colour"),
            ({"id": "x", "name": "X", "nation": "FR"}, "invalid_request", "(did you mean FRA?)"),
            ({"id": "mod-it", "name": "again"}, "conflict", "already exists"),
        ):
            status = 409 if code == "conflict" else 400
            assert text in error(await op.post("/v1/admin/organisations", json=body), status, code)
        error(await op.patch("/v1/admin/organisations/nope", json={"name": "x"}), 404, "not_found")
        bad = await op.patch("/v1/admin/organisations/mod-it", json={"requests_burst": 0})
        assert "requests_burst must be a whole number of at least 1" in error(bad, 400, "invalid_request")


async def test_people_and_separation_of_duties(api: Api) -> None:
    async with (
        as_(api, "it.admin") as admin,
        as_(api, "it.officer") as officer,
        as_(api, "it.analyst") as analyst,
        as_(api, "op") as op,
    ):
        r = await admin.post("/v1/admin/users", json={"id": "g.verdi", "organisation": "mod-it", "role": "analyst"})
        assert r.status_code == 201 and r.json()["nationality"] == "ITA" and r.json()["clearance"] == "UNCLASSIFIED"
        cleared = await admin.post(
            "/v1/admin/users", json={"id": "x.y", "organisation": "mod-it", "role": "analyst", "clearance": "SECRET"}
        )
        assert "may not clearance.set" in error(cleared, 403, "permission_denied")  # the admin holds no such right
        assert "x.y" not in [u["id"] for u in (await admin.get("/v1/admin/users")).json()["data"]]  # not half-made
        r = await officer.patch("/v1/admin/users/g.verdi", json={"clearance": "CONFIDENTIAL", "caveats": ["nato-x"]})
        assert "may not grant caveat(s) NATO-X they do not hold" in error(r, 403, "permission_denied")
        r = await officer.patch("/v1/admin/users/g.verdi", json={"clearance": "riservatissimo"})
        assert r.status_code == 200 and r.json()["clearance"] == "CONFIDENTIAL"
        too_high = await officer.patch("/v1/admin/users/g.verdi", json={"clearance": "TOP SECRET"})
        assert "above their own clearance SECRET" in error(too_high, 403, "permission_denied")
        own = await officer.patch("/v1/admin/users/it.officer", json={"clearance": "TOP SECRET"})
        assert "nobody may set their own clearance" in error(own, 403, "permission_denied")
        error(await officer.patch("/v1/admin/users/g.verdi", json={"role": "admin"}), 403, "permission_denied")
        promoted = await admin.patch("/v1/admin/users/g.verdi", json={"role": "auditor", "daily_tokens": 5000})
        assert promoted.json()["role"] == "auditor" and promoted.json()["quota"]["daily_tokens"] == 5000
        error(await analyst.get("/v1/admin/users"), 403, "permission_denied")
        french = await admin.post("/v1/admin/users", json={"id": "z", "organisation": "dga-fr", "role": "analyst"})
        assert "another organisation" in error(french, 403, "permission_denied")
        assert (
            await op.post("/v1/admin/users", json={"id": "z", "organisation": "dga-fr", "role": "analyst"})
        ).status_code == 201
        assert {u["organisation"] for u in (await op.get("/v1/admin/users")).json()["data"]} >= {"mod-it", "dga-fr"}
        assert {u["organisation"] for u in (await admin.get("/v1/admin/users")).json()["data"]} == {"mod-it"}
        error(await admin.get("/v1/admin/users/z"), 403, "permission_denied")
        for body, text in (
            ({"role": "overlord"}, "unknown role"),
            ({"nationality": "ZZZ"}, "nationality 'ZZZ' is not valid"),
            ({"clearance": "ultra"}, "is not a classification level"),
            ({"caveats": ["no spaces"]}, "caveat 'no spaces' is not valid"),
            ({"disabled": "maybe"}, "disabled"),
        ):
            entitled = officer if body.keys() & {"clearance", "nationality", "caveats"} else admin
            r = await entitled.patch("/v1/admin/users/g.verdi", json=body)
            assert r.status_code == 400 and text in r.json()["error"]["message"], r.text
            assert r.json()["error"]["param"] == next(iter(body)), r.text


async def test_keys_over_http_shown_once_revoked_at_once(api: Api) -> None:
    world, keys = api.world, api.keys
    async with as_(api, "it.analyst") as analyst, as_(api, "it.officer") as officer:
        created = await analyst.post("/v1/admin/keys", json={"name": "notebook", "expires_in_days": 7})
        assert created.status_code == 201
        new = created.json()
        assert new["key"].startswith(f"gsk_{new['id']}_") and new["user"] == "it.analyst"
        listed = (await analyst.get("/v1/admin/keys")).json()["data"]
        assert {k["id"] for k in listed} == {new["id"], keys["it.analyst"].split("_")[1]}
        assert all("key" not in k and k["prefix"].startswith("gsk_") for k in listed)  # never the secret
        error(await analyst.post("/v1/admin/keys", json={"user": "it.officer"}), 403, "permission_denied")
        expired = await officer.patch(f"/v1/admin/keys/{new['id']}", json={})  # key.manage: now
        assert expired.status_code == 200 and expired.json()["expires_at"] == world.clock.now()
        async with with_key(api, new["key"]) as with_new:
            error(await with_new.get("/v1/models"), 401, "expired_api_key")
        revoked = await officer.delete(f"/v1/admin/keys/{keys['it.analyst'].split('_')[1]}")
        assert revoked.status_code == 200 and revoked.json()["revoked_at"] == world.clock.now()
        error(await analyst.get("/v1/models"), 401, "revoked_api_key")  # the next request
        error(await officer.delete("/v1/admin/keys/000000000000"), 404, "not_found")


async def test_usage_over_http_is_scoped_to_the_callers_organisation(api: Api) -> None:
    body = {"model": "open-model", "messages": [{"role": "user", "content": "one two"}]}
    async with as_(api, "it.analyst") as it, as_(api, "fr.analyst") as fr:
        assert (await it.post("/v1/chat/completions", json=body)).status_code == 200
        assert (await fr.post("/v1/chat/completions", json=body)).status_code == 200
        error(await it.get("/v1/admin/usage?since=today"), 403, "permission_denied")
    async with as_(api, "it.auditor") as auditor, as_(api, "op") as op:
        mine = (await auditor.get("/v1/admin/usage?since=today")).json()
        assert mine["data"] == [
            {"organisation": "mod-it", "requests": 1, "prompt_tokens": 2, "completion_tokens": 3, "total_tokens": 5}
        ]
        error(await auditor.get("/v1/admin/usage?since=today&organisation=dga-fr"), 403, "permission_denied")
        everyone = (await op.get("/v1/admin/usage?since=today&by=organisation,user")).json()["data"]
        assert [(r["organisation"], r["user"]) for r in everyone] == [
            ("dga-fr", "fr.analyst"),
            ("mod-it", "it.analyst"),
        ]
        assert "is not a day" in error(await op.get("/v1/admin/usage?since=soon"), 400, "invalid_request")
