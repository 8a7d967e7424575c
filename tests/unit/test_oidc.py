"""OIDC tokens validated offline against a local JWKS: real keys, real signatures (cryptography)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from garrison.core.errors import AuthenticationFailed, ConfigurationError
from garrison.core.markings import Level
from garrison.security.oidc import OidcVerifier

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
