"""OIDC tokens validated offline against a local JWKS: real keys, real signatures (cryptography)."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from garrison.app import build, create_asgi
from garrison.config import Settings
from garrison.core.errors import AuthenticationFailed, ConfigurationError, InvalidRequest
from garrison.core.markings import Level
from garrison.security.oidc import OidcVerifier
from garrison.store.models import ModelRepository
from tests.conftest import World, fake_record

ISSUER = "https://idp.enclave.example"
AUDIENCE = "garrison"


def _jwk(public: Any, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = (
        json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public))
        if isinstance(public, rsa.RSAPublicKey)
        else json.loads(jwt.algorithms.ECAlgorithm.to_jwk(public))
    )
    jwk["kid"] = kid
    return jwk


@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    rogue = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = {"keys": [_jwk(rsa_key.public_key(), "rsa-1"), _jwk(ec_key.public_key(), "ec-1")]}
    return {"rsa": rsa_key, "ec": ec_key, "rogue": rogue, "jwks": jwks}


def token(key: Any, kid: str, alg: str = "RS256", **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "u-4711",
        "iat": now,
        "exp": now + 600,
        "preferred_username": "m.rossi",
        "org": "mod-it",
        "nationality": "ita",
        "clearance": "secret",
        "caveats": ["atomal"],
        "role": "analyst",
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})


@pytest.fixture
def verifier(keys: dict[str, Any], tmp_path: Path) -> OidcVerifier:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(keys["jwks"]))
    return OidcVerifier.from_file(path, issuer=ISSUER, audience=AUDIENCE)


def test_a_valid_token_maps_to_an_identity(verifier: OidcVerifier, keys: dict[str, Any]) -> None:
    for key, kid, alg in ((keys["rsa"], "rsa-1", "RS256"), (keys["ec"], "ec-1", "ES256")):
        who = verifier.verify(token(key, kid, alg))
        assert (who.subject, who.name, who.organisation, who.nationality) == ("u-4711", "m.rossi", "mod-it", "ITA")
        assert who.clearance == Level.SECRET and who.caveats == {"ATOMAL"} and who.role == "analyst"


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        ({"exp": int(time.time()) - 3600}, "expired_token", "expired"),
        ({"iss": "https://evil.example"}, "invalid_token", "ssuer"),
        ({"aud": "someone-else"}, "invalid_token", "Audience"),
        ({"exp": None}, "invalid_token", "exp"),
        ({"clearance": "ultra"}, "invalid_token", "expected one of"),
    ],
)
def test_bad_tokens_are_refused_with_a_reason(
    verifier: OidcVerifier, keys: dict[str, Any], overrides: dict[str, Any], code: str, message: str
) -> None:
    with pytest.raises(AuthenticationFailed) as exc:
        verifier.verify(token(keys["rsa"], "rsa-1", **overrides))
    assert exc.value.code == code and message in exc.value.message and exc.value.status == 401


def test_unknown_keys_forgeries_and_algorithm_confusion_are_refused(
    verifier: OidcVerifier, keys: dict[str, Any]
) -> None:
    with pytest.raises(AuthenticationFailed) as unknown:
        verifier.verify(token(keys["rogue"], "rogue-kid"))
    assert unknown.value.code == "unknown_signing_key"
    with pytest.raises(AuthenticationFailed, match="not valid"):  # right kid, wrong key: forged
        verifier.verify(token(keys["rogue"], "rsa-1"))
    hmac_secret = "a-shared-secret-of-at-least-32-bytes"
    claims = {"sub": "x", "iss": ISSUER, "aud": AUDIENCE, "iat": 1, "exp": 2**31}
    forged_hmac = jwt.encode(claims, hmac_secret, algorithm="HS256", headers={"kid": "rsa-1"})
    with pytest.raises(AuthenticationFailed):
        verifier.verify(forged_hmac)
    with pytest.raises(AuthenticationFailed, match="malformed"):
        verifier.verify("not.a.jwt")


def test_a_broken_key_set_is_a_configuration_error(tmp_path: Path) -> None:
    bad = tmp_path / "jwks.json"
    bad.write_text("{not json")
    with pytest.raises(ConfigurationError, match="cannot read"):
        OidcVerifier.from_file(bad, issuer=ISSUER, audience=AUDIENCE)
    with pytest.raises(ConfigurationError, match="JWKS"):
        OidcVerifier({"keys": [{"kty": "nope"}]}, issuer=ISSUER, audience=AUDIENCE)


# -- through the API --------------------------------------------------------------------------------
@pytest.fixture
def settings(tmp_path: Path, keys: dict[str, Any]) -> Settings:
    """The default test settings, with this module's identity provider configured."""
    jwks = tmp_path / "idp-jwks.json"
    jwks.write_text(json.dumps(keys["jwks"]))
    return Settings(
        data_dir=tmp_path / "data",
        oidc_jwks_file=jwks,
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
        oidc_claims={"name": "preferred_username"},
    )


Me = Callable[[str], Awaitable[httpx.Response]]


@pytest.fixture
async def me(world: World) -> AsyncIterator[Me]:
    """GET /v1/me with a bearer token; when it signs someone in, the same token also chats."""
    ModelRepository(world.rt.db).insert(fake_record())
    app = create_asgi(world.rt)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c,
    ):

        async def call(bearer: str) -> httpx.Response:
            r = await c.get("/v1/me", headers={"Authorization": f"Bearer {bearer}"})
            if r.status_code == 200:
                chat = {"model": "fake-model", "messages": [{"role": "user", "content": "bonjour"}]}
                used = await c.post("/v1/chat/completions", json=chat, headers={"Authorization": f"Bearer {bearer}"})
                assert used.status_code == 200, used.text
            return r

        yield call


async def test_a_token_signs_a_person_in_and_keeps_them_in_step(world: World, keys: dict[str, Any], me: Me) -> None:
    r = await me(token(keys["rsa"], "rsa-1"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"] == "oidc:u-4711" and body["oidc_subject"] == "u-4711" and body["key_id"] is None
    assert (body["organisation"], body["nationality"], body["clearance"]) == ("mod-it", "ITA", "SECRET")
    assert body["caveats"] == ["ATOMAL"] and body["role"] == "analyst" and body["name"] == "m.rossi"
    s = world.services
    person = s.identity.user(s.console, "oidc:u-4711")  # provisioned on first sign-in
    assert person.oidc_subject == "u-4711" and person.clearance.label == "SECRET"
    # the IdP lowers the clearance: the next request says so
    assert (await me(token(keys["ec"], "ec-1", "ES256", clearance="CONFIDENTIAL"))).json()["clearance"] == (
        "CONFIDENTIAL"
    )
    with pytest.raises(InvalidRequest, match="identity provider"):
        s.identity.update_user(s.console, "oidc:u-4711", {"clearance": "TOP SECRET"})
    usage = s.usage.report(s.console, ["user"], since="-1d")
    assert [(u.group["user"], u.count.requests) for u in usage] == [("oidc:u-4711", 2)]
    s.identity.update_user(s.console, "oidc:u-4711", {"disabled": True})  # disabled here: refused, token or not
    r = await me(token(keys["rsa"], "rsa-1"))
    assert r.status_code == 401 and r.json()["error"]["code"] == "user_disabled"


@pytest.mark.parametrize(
    ("overrides", "kid", "code"),
    [
        ({"exp": int(time.time()) - 3600}, "rsa-1", "expired_token"),
        ({}, "rogue", "unknown_signing_key"),
        ({"org": "atlantis"}, "rsa-1", "unknown_organisation"),
        ({"role": "overlord"}, "rsa-1", "invalid_token"),
        ({"nationality": "Italian"}, "rsa-1", "invalid_token"),
    ],
)
async def test_tokens_that_do_not_sign_anyone_in(
    world: World, keys: dict[str, Any], me: Me, overrides: dict[str, Any], kid: str, code: str
) -> None:
    key = keys["rogue"] if kid == "rogue" else keys["rsa"]
    r = await me(token(key, kid, **overrides))
    assert r.status_code == 401 and r.json()["error"]["code"] == code, r.text
    assert r.headers["www-authenticate"] == "Bearer"
    assert world.services.identity.users(world.services.console, "mod-it") == []  # nobody provisioned


async def test_without_an_identity_provider_a_token_is_refused(tmp_path: Path, keys: dict[str, Any]) -> None:
    rt = build(Settings(data_dir=tmp_path / "plain"), create=True)
    with pytest.raises(AuthenticationFailed, match="no OIDC issuer is configured"):
        rt.gateway.authenticate(token(keys["rsa"], "rsa-1"))
    rt.db.close()


def test_identity_provider_settings_are_checked_at_start(tmp_path: Path) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text('{"keys": []}')
    with pytest.raises(ConfigurationError, match="GARRISON_OIDC_ISSUER"):
        build(Settings(data_dir=tmp_path / "d", oidc_jwks_file=jwks), create=True)
    with pytest.raises(ConfigurationError, match="cannot read the OIDC key set"):
        build(Settings(data_dir=tmp_path / "d", oidc_jwks_file=tmp_path / "absent.json", oidc_issuer=ISSUER))
    with pytest.raises(ConfigurationError, match="unknown OIDC claim mapping colour"):
        build(Settings(data_dir=tmp_path / "d", oidc_jwks_file=jwks, oidc_issuer=ISSUER, oidc_claims={"colour": "c"}))
    assert not (tmp_path / "d").exists()  # refused before anything was created
