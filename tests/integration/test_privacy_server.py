"""Personal data through a real server on loopback, driven by the official openai client: the model
sees pseudonyms, the caller's organisation gets its answer back whole, nobody else can restore it,
and the audit log holds no clear personal data."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from garrison.app import Runtime, build, create_asgi
from garrison.config import Settings
from garrison.core.types import ChatRequest, CompletionRequest
from garrison.engines.fake import FakeEngine
from garrison.service.gateway import DETECT_BATCH
from garrison.store.models import ModelRepository
from tests.conftest import fake_record, person, serve_in_thread

NAME, IBAN, CF = "Mario Rossi", "IT60 X054 2811 1010 0000 0123 456", "RSSMRA85T10A562S"
PROMPT = f"Il bonifico di {NAME} su {IBAN}, codice fiscale {CF}, è sospetto?"
CLEAR = ("Mario", "Rossi", "IT60", "X054", CF)


@pytest.fixture
def deployment(tmp_path: Path) -> tuple[Runtime, dict[str, FakeEngine]]:
    engines: dict[str, FakeEngine] = {}

    def factory(record: Any) -> FakeEngine:
        engines[record.name] = FakeEngine(record.name)
        return engines[record.name]

    rt = build(Settings(data_dir=tmp_path / "d", audit_checkpoint_seconds=0.05), create=True, factory=factory)
    ModelRepository(rt.db).insert(fake_record())
    return rt, engines


def post(root: str, key: str, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{root}{path}", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=30)


def test_the_model_sees_pseudonyms_and_only_the_callers_organisation_restores_them(
    deployment: tuple[Runtime, dict[str, FakeEngine]],
) -> None:
    rt, engines = deployment
    analyst = person(rt, "ana", role="analyst", organisation="mod-it", nation="ITA")
    colleague = person(rt, "bea", role="analyst", organisation="mod-it", nation="ITA")
    stranger = person(rt, "remi", role="analyst", organisation="dga-fr", nation="FRA")
    auditor = person(rt, "olga", role="auditor")
    with serve_in_thread(create_asgi(rt)) as root:
        client = openai.OpenAI(base_url=f"{root}/v1", api_key=analyst, max_retries=0)
        raw = client.chat.completions.with_raw_response.create(
            model="fake-model", messages=[{"role": "user", "content": PROMPT}]
        )
        body = json.loads(raw.text)
        answer = body["choices"][0]["message"]["content"]

        # what reached the engine: placeholders, no clear value
        seen = engines["fake-model"].received[-1]
        assert isinstance(seen, ChatRequest)
        prompt_seen = seen.messages[-1].content
        assert "<PERSON_1>" in prompt_seen and "<IBAN_CODE_1>" in prompt_seen and "<IT_FISCAL_CODE_1>" in prompt_seen
        assert not any(v in prompt_seen for v in CLEAR)

        # the analyst gets the answer restored (the fake engine echoes the prompt)
        assert NAME in answer and IBAN in answer and CF in answer
        note = body["garrison"]["privacy"]
        assert note["restored"] is True and note["pseudonyms"].startswith("ps_")
        assert note["entities"] == {"IBAN_CODE": 1, "IT_FISCAL_CODE": 1, "PERSON": 1}

        # a stream is restored too, placeholders and all
        stream = client.chat.completions.create(
            model="fake-model", messages=[{"role": "user", "content": PROMPT}], stream=True
        )
        streamed = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
        assert NAME in streamed and CF in streamed

        # the model's own text, restored later by a colleague; not by another organisation
        table = note["pseudonyms"]
        pseudonymised = "echo: " + prompt_seen
        mine = post(root, colleague, "/v1/privacy/reidentify", {"text": pseudonymised, "pseudonyms": table})
        assert mine.status_code == 200 and NAME in mine.json()["text"] and mine.json()["restored"] == 3
        theirs = post(root, stranger, "/v1/privacy/reidentify", {"text": pseudonymised, "pseudonyms": table})
        assert theirs.status_code == 404 and theirs.json()["error"]["code"] == "privacy_session_not_found"
        assert NAME not in theirs.text
        unknown = post(root, analyst, "/v1/privacy/reidentify", {"text": "x", "pseudonyms": "ps_nope"})
        assert unknown.status_code == 404  # the same answer as another organisation's table: no oracle

        # the audit log: counts and the table's id, never the values
        records = httpx.get(
            f"{root}/v1/audit/records", params={"limit": 1000}, headers={"Authorization": f"Bearer {auditor}"}
        ).json()["data"]
        dump = json.dumps(records, ensure_ascii=False)
        assert not any(v in dump for v in CLEAR)
        calls = [r for r in records if r["kind"] == "model.call"]
        assert calls[0]["personal_data"] == {"IBAN_CODE": 1, "IT_FISCAL_CODE": 1, "PERSON": 1}
        assert calls[0]["pseudonyms"] == table and calls[0]["restored"] is True
        refused = [r for r in records if r["operation"] == "privacy.reidentify" and not r["allowed"]]
        assert refused and refused[0]["organisation"] == "dga-fr"


def test_a_burst_of_calls_is_detected_together_and_each_keeps_its_own_table(
    deployment: tuple[Runtime, dict[str, FakeEngine]],
) -> None:
    """Concurrent calls from two organisations, each with its own person in it: the detections
    run in batches, yet each call's pseudonyms stay its own, and each caller gets back only its
    own values."""
    rt, engines = deployment
    keys = {org: person(rt, f"u-{org}", role="analyst", organisation=org, nation="ITA") for org in ("mod-it", "dga-fr")}
    names = ["Mario Rossi", "Giulia Bianchi", "Luca Ferrari", "Anna Romano", "Paolo Greco", "Sara Conti"]
    detecting = rt.gateway._detecting
    assert detecting is not None

    async def burst(root: str) -> list[tuple[str, str, dict[str, Any]]]:
        async def one(i: int, name: str) -> tuple[str, str, dict[str, Any]]:
            org = ("mod-it", "dga-fr")[i % 2]
            client = openai.AsyncOpenAI(base_url=f"{root}/v1", api_key=keys[org], max_retries=0)
            prompt = f"Il bonifico di {name} su {IBAN} è sospetto?"
            raw = await client.chat.completions.with_raw_response.create(
                model="fake-model", messages=[{"role": "user", "content": prompt}]
            )
            body = json.loads(raw.text)
            return name, body["choices"][0]["message"]["content"], body["garrison"]["privacy"]

        return await asyncio.gather(*(one(i, n) for i, n in enumerate(names * 2)))

    with serve_in_thread(create_asgi(rt)) as root:
        before = detecting.items
        results = asyncio.run(burst(root))
    for name, answer, note in results:
        others = [n for n in names if n != name]
        assert name in answer and IBAN in answer and not any(o in answer for o in others)
        assert note["entities"] == {"IBAN_CODE": 1, "PERSON": 1} and note["restored"] is True
    assert len({note["pseudonyms"] for _, _, note in results}) == len(results)  # a table per call
    seen = [
        r.messages[-1].content for r in engines["fake-model"].received[-len(results) :] if isinstance(r, ChatRequest)
    ]
    assert len(seen) == len(results)
    assert all("<PERSON_1>" in text and not any(n in text for n in names) for text in seen)
    assert detecting.items - before == len(results)
    assert detecting.largest <= DETECT_BATCH < len(results)  # 12 calls at once: more than one batch


def test_policy_switches_prompts_off_and_keeps_pseudonymised_text_in_the_audit_log(
    deployment: tuple[Runtime, dict[str, FakeEngine]],
) -> None:
    rt, engines = deployment
    officer = person(rt, "sofia", role="security_officer", organisation="mod-it", nation="ITA")
    analyst = person(rt, "ana", role="analyst", organisation="mod-it", nation="ITA")
    auditor = person(rt, "olga", role="auditor")
    with serve_in_thread(create_asgi(rt)) as root:
        client = openai.OpenAI(base_url=f"{root}/v1", api_key=analyst, max_retries=0)
        headers = {"Authorization": f"Bearer {officer}"}
        changed = httpx.patch(f"{root}/v1/privacy/policy", json={"audit_text": True}, headers=headers)
        assert changed.status_code == 200 and changed.json()["audit_text"] is True
        assert httpx.patch(f"{root}/v1/privacy/policy", json={"nope": 1}, headers=headers).status_code == 400
        denied = httpx.patch(
            f"{root}/v1/privacy/policy", json={"prompts": False}, headers={"Authorization": f"Bearer {analyst}"}
        )
        assert denied.status_code == 403

        client.completions.create(model="fake-model", prompt=PROMPT)
        seen = engines["fake-model"].received[-1]
        assert isinstance(seen, CompletionRequest) and NAME not in seen.prompt
        records = httpx.get(
            f"{root}/v1/audit/records",
            params={"kind": "model.call"},
            headers={"Authorization": f"Bearer {auditor}"},
        ).json()["data"]
        kept = records[-1]
        assert "<PERSON_1>" in kept["prompt_text"] and "<PERSON_1>" in kept["answer_text"]
        assert not any(v in json.dumps(kept) for v in CLEAR)

        assert httpx.patch(f"{root}/v1/privacy/policy", json={"prompts": False}, headers=headers).status_code == 200
        client.completions.create(model="fake-model", prompt=PROMPT)
        seen = engines["fake-model"].received[-1]
        assert isinstance(seen, CompletionRequest) and NAME in seen.prompt  # the organisation chose so


def test_the_privacy_api_analyzes_and_pseudonymizes_with_every_operator(
    deployment: tuple[Runtime, dict[str, FakeEngine]],
) -> None:
    rt, _ = deployment
    analyst = person(rt, "ana", role="analyst", organisation="mod-it", nation="ITA")
    auditor = person(rt, "olga", role="auditor")
    text = "Herr Jürgen Vogel (Steuer-ID 36 574 261 809) wohnt in München; E-Mail j.vogel@bund.de."
    with serve_in_thread(create_asgi(rt)) as root:
        found = post(root, analyst, "/v1/privacy/analyze", {"text": text}).json()
        assert found["languages"] == ["de"]
        types = {(e["type"], text[e["start"] : e["end"]]) for e in found["entities"]}
        assert {("PERSON", "Jürgen Vogel"), ("DE_TAX_ID", "36 574 261 809"), ("LOCATION", "München")} <= types
        assert ("EMAIL_ADDRESS", "j.vogel@bund.de") in types

        first = post(root, analyst, "/v1/privacy/pseudonymize", {"text": text}).json()
        assert "Jürgen" not in first["text"] and "<PERSON_1>" in first["text"] and first["pseudonyms"]
        again = post(
            root,
            analyst,
            "/v1/privacy/pseudonymize",
            {"text": "Vogel schrieb an Anna Weber.", "pseudonyms": first["pseudonyms"]},
        ).json()
        assert again["text"].startswith("<PERSON_1> schrieb an <PERSON_2>")  # the same person, the same placeholder

        masked = post(root, analyst, "/v1/privacy/pseudonymize", {"text": text, "operator": "mask"}).json()
        assert "** *** *** 809" in masked["text"] and "Vogel" not in masked["text"] and masked["pseudonyms"] is None
        redacted = post(root, analyst, "/v1/privacy/pseudonymize", {"text": text, "operator": "redact"}).json()
        assert "<DE_TAX_ID>" in redacted["text"]
        hashed = post(root, analyst, "/v1/privacy/pseudonymize", {"text": text, "operator": "hash"}).json()
        hashed2 = post(root, analyst, "/v1/privacy/pseudonymize", {"text": text, "operator": "hash"}).json()
        assert "<PERSON:" in hashed["text"] and hashed["text"] == hashed2["text"]  # keyed, stable

        bad = post(root, analyst, "/v1/privacy/analyze", {"text": text, "entities": ["SHOE_SIZE"]})
        assert bad.status_code == 400 and "SHOE_SIZE" in bad.json()["error"]["message"]
        assert post(root, analyst, "/v1/privacy/analyze", {"text": text, "language": "xx"}).status_code == 400
        assert post(root, auditor, "/v1/privacy/analyze", {"text": text}).status_code == 403
        broken = httpx.post(
            f"{root}/v1/privacy/analyze",
            content=b"{not json",
            headers={"Authorization": f"Bearer {analyst}", "Content-Type": "application/json"},
        )
        assert broken.status_code in (400, 422) and "error" in broken.json()
