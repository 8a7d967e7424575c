"""Personal data with the real model behind the real server: the prompt is pseudonymised before
llama.cpp sees it, the answer comes back, and the audit log keeps counts, never the values."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.e2e.conftest import Server

MODEL = "smollm2-135m-instruct"
pytestmark = pytest.mark.model


def test_a_prompt_with_personal_data_is_answered_and_audited_without_it(server: Server) -> None:
    prompt = (
        "Write one sentence to thank Giulia Ferraresi (giulia.ferraresi@difesa.it, IBAN "
        "IT60 X054 2811 1010 0000 0123 456) for repairing the hydraulic pump."
    )
    r = httpx.post(
        f"{server.base_url}/chat/completions",
        json={"model": MODEL, "messages": [{"role": "user", "content": prompt}], "max_tokens": 40, "temperature": 0},
        headers={"Authorization": f"Bearer {server.key}", "X-Request-Id": "privacy-e2e-1"},
        timeout=120,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["choices"][0]["message"]["content"]
    note = body["garrison"]["privacy"]
    assert note["entities"] == {"EMAIL_ADDRESS": 1, "IBAN_CODE": 1, "PERSON": 1} and note["pseudonyms"]
    # whatever the small model wrote, no placeholder it kept is left unrestored for the admin
    assert "<PERSON_1>" not in body["choices"][0]["message"]["content"]

    shown = server.cli("audit", "show", "--kind", "model.call", "--json")
    assert shown.returncode == 0, shown.stderr
    records = [json.loads(line) for line in shown.stdout.splitlines() if line.strip()]
    mine = [rec for rec in records if rec.get("request_id") == "privacy-e2e-1"]
    assert mine and mine[0]["personal_data"] == note["entities"] and mine[0]["pseudonyms"] == note["pseudonyms"]
    assert not any(v in shown.stdout for v in ("Ferraresi", "giulia", "IT60", "X054"))
