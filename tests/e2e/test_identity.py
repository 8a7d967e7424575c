"""End to end: identities, eligibility, rates and single sign-on as an OpenAI client sees them, on
the real server with the real model. People are created with the CLI while the server runs (another
process writing the same database), as an administrator would."""

from __future__ import annotations

import json
import time

import openai
import pytest

from tests.e2e.conftest import Server

pytestmark = pytest.mark.model
DEFAULT = "smollm2-135m-instruct"
EMBEDDER = "multilingual-e5-small"  # the built-in embedding model, released to everyone


def client(server: Server, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key=key, max_retries=0, timeout=120)


def cli_ok(server: Server, *args: str) -> str:
    result = server.cli(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def person_with_key(server: Server, user: str, org: str, nation: str, *extra: str) -> str:
    if org not in cli_ok(server, "orgs", "list"):
        cli_ok(server, "orgs", "create", org, "--name", org.upper(), "--nation", nation)
    cli_ok(server, "users", "create", user, "--org", org, "--role", "analyst", *extra)
    return cli_ok(server, "keys", "create", "--user", user).strip().splitlines()[-1]


def error_of(exc: openai.APIStatusError) -> dict[str, object]:
    body = exc.response.json()
    assert set(body["error"]) == {"message", "type", "param", "code"}
    return dict(body["error"])


def test_a_french_analyst_uses_a_model_released_to_nato_but_not_one_released_to_the_usa(server: Server) -> None:
    key = person_with_key(server, "fr.analyst", "dga-fr", "FRA")
    c = client(server, key)
    assert sorted(m.id for m in c.models.list()) == [EMBEDDER, "nato-llama", DEFAULT]
    answer = c.chat.completions.create(
        model="nato-llama",
        messages=[{"role": "user", "content": "Hydraulic pressure drops to 2,000 psi. What do I check first?"}],
        max_tokens=24,
        temperature=0,
    )
    assert answer.choices[0].message.content and answer.usage is not None and answer.usage.completion_tokens > 0
    with pytest.raises(openai.PermissionDeniedError) as refused:
        c.chat.completions.create(model="usa-llama", messages=[{"role": "user", "content": "hi"}], max_tokens=4)
    err = error_of(refused.value)
    assert refused.value.status_code == 403 and err["code"] == "model_not_eligible"
    assert "usa-llama is released to USA, not to dga-fr (FRA)" in str(err["message"])
    with pytest.raises(openai.PermissionDeniedError):
        c.models.retrieve("usa-llama")

    # the usage partners share costs by, written by the server within a second
    deadline = time.monotonic() + 10
    while True:
        rows = json.loads(cli_ok(server, "usage", "--by", "organisation,model", "--since", "today", "--format", "json"))
        mine = [r for r in rows if r["organisation"] == "dga-fr"]
        if mine or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [(r["model"], r["requests"]) for r in mine] == [("nato-llama", 1)]
    assert mine[0]["prompt_tokens"] == answer.usage.prompt_tokens
    assert mine[0]["completion_tokens"] == answer.usage.completion_tokens


def test_a_revoked_key_is_refused_on_the_next_request(server: Server) -> None:
    key = person_with_key(server, "it.analyst", "mod-it", "ITA")
    c = client(server, key)
    assert DEFAULT in [m.id for m in c.models.list()]
    cli_ok(server, "keys", "revoke", key.split("_")[1])
    with pytest.raises(openai.AuthenticationError) as exc:
        c.models.list()
    assert error_of(exc.value)["code"] == "revoked_api_key"


def test_a_burst_over_the_rate_limit_gets_429_with_retry_after(server: Server) -> None:
    key = person_with_key(server, "it.burst", "mod-it", "ITA", "--rpm", "2", "--burst", "2")
    c = client(server, key)
    for _ in range(2):
        c.chat.completions.create(model=DEFAULT, messages=[{"role": "user", "content": "hi"}], max_tokens=1)
    with pytest.raises(openai.RateLimitError) as exc:
        c.chat.completions.create(model=DEFAULT, messages=[{"role": "user", "content": "hi"}], max_tokens=1)
    assert exc.value.status_code == 429 and error_of(exc.value)["code"] == "rate_limited"
    assert 1 <= int(exc.value.response.headers["retry-after"]) <= 30  # one token every 30 s


def test_single_sign_on_tokens_from_the_identity_provider(server: Server) -> None:
    if "dga-fr" not in cli_ok(server, "orgs", "list"):
        cli_ok(server, "orgs", "create", "dga-fr", "--name", "DGA", "--nation", "FRA")
    claims = {"sub": "8f3a-2c", "preferred_username": "c.martin", "org": "dga-fr", "nationality": "FRA",
              "clearance": "SECRET", "role": "analyst"}  # fmt: skip
    good = client(server, server.idp.token(claims))
    assert sorted(m.id for m in good.models.list()) == [EMBEDDER, "nato-llama", DEFAULT]
    assert "oidc:8f3a-2c" in cli_ok(server, "users", "list", "--org", "dga-fr")  # provisioned on first sign-in

    expired = server.idp.token({**claims, "exp": int(time.time()) - 300, "iat": int(time.time()) - 900})
    with pytest.raises(openai.AuthenticationError) as late:
        client(server, expired).models.list()
    assert error_of(late.value)["code"] == "expired_token"

    from cryptography.hazmat.primitives.asymmetric import rsa

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for kid in ("idp-2026", "someone-elses-key"):  # a forged signature, then an unknown key id
        with pytest.raises(openai.AuthenticationError) as forged:
            client(server, server.idp.token(claims, key=stranger, kid=kid)).models.list()
        assert error_of(forged.value)["code"] in ("invalid_token", "unknown_signing_key")
        assert forged.value.status_code == 401
