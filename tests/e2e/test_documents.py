"""Answers from documents through the real server, the real models (SmolLM2 in llama.cpp, E5 for
embeddings) and the official openai client: the demo corpus was ingested with `garrison demo`
(CLI). A technician gets the procedure cited to the manual's page; nobody gets anything above
their access, in an answer, a stream, a search or an error."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from openai import OpenAI

from garrison.core.markings import combine_all
from garrison.security.markings import parse
from tests.e2e.conftest import Server

pytestmark = pytest.mark.model

QUESTION = "Hydraulic pressure drops to 2,000 psi and the pump whines, what do I check?"
MODEL = "smollm2-135m-instruct"


def demo_keys(server: Server) -> dict[str, str]:
    rows = (server.data_dir / "demo-keys.txt").read_text().splitlines()
    return {r.split("\t")[0]: r.split("\t")[3] for r in rows}


def ask(server: Server, who: str, question: str, **extra: Any) -> Any:
    client = OpenAI(base_url=server.base_url, api_key=demo_keys(server)[who], max_retries=0)
    return client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": question}],
        max_tokens=96,
        temperature=0,
        seed=7,
        extra_body={"garrison": {"collections": ["maintenance"], "k": 4}},
        **extra,
    )


def test_a_technician_gets_the_procedure_cited_to_the_manual_page(server: Server) -> None:
    answer = ask(server, "us-tech", QUESTION)
    g = (answer.model_extra or {})["garrison"]
    assert answer.choices[0].message.content
    assert g["citations"], g
    cited = {(c["filename"], c["page"]) for c in g["citations"]}
    assert ("amm-at62-29-hydraulics.pdf", 5) in cited  # 29-12-05, low pressure with pump noise
    # the answer's marking is the derivative of what it cites
    assert parse(g["marking"]) == combine_all([parse(c["marking"]) for c in g["citations"]])
    for c in g["citations"]:
        assert f"[{c['number']}]" in answer.choices[0].message.content


def test_the_stream_ends_with_the_citations_before_done(server: Server) -> None:
    chunks = list(ask(server, "gb-eng", QUESTION, stream=True))
    assert chunks[-1].choices == []
    g = (chunks[-1].model_extra or {})["garrison"]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text and g["citations"] and all(f"[{c['number']}]" in text for c in g["citations"])


@pytest.mark.parametrize(
    ("who", "forbidden"),
    [
        ("de-analyst", {"SECRET", "RESTRICTED", "CONFIDENTIAL"}),  # cleared UNCLASSIFIED only
        ("it-analyst", {"SECRET", "CONFIDENTIAL"}),
        ("fr-tech", {"SECRET"}),  # CONFIDENTIAL, but the bulletin is REL TO USA, GBR
    ],
)
def test_nobody_gets_a_source_above_their_access(server: Server, who: str, forbidden: set[str]) -> None:
    question = "Which pump serial numbers are affected by spool lot HT-2291 and what is the restriction?"
    g = (ask(server, who, question).model_extra or {})["garrison"]
    for field in ("marking", "context_marking"):
        assert g[field] is None or g[field].split("//")[0] not in forbidden
    assert all(c["filename"] != "bulletin-s-rel-usa-gbr.md" for c in g["citations"])
    key = demo_keys(server)[who]
    r = httpx.post(
        f"{server.base_url}/collections/maintenance/search",
        headers={"Authorization": f"Bearer {key}"},
        json={"query": question, "k": 50},
        timeout=60,
    )
    assert r.status_code == 200
    hits = r.json()["data"]
    assert all(h["marking"].split("//")[0] not in forbidden for h in hits)
    assert all(h["filename"] != "bulletin-s-rel-usa-gbr.md" for h in hits)


def test_the_cleared_reader_finds_the_bulletin(server: Server) -> None:
    key = demo_keys(server)["us-tech"]
    r = httpx.post(
        f"{server.base_url}/collections/maintenance/search",
        headers={"Authorization": f"Bearer {key}"},
        json={"query": "spool lot HT-2291 affected serial numbers", "k": 3},
        timeout=60,
    )
    top = r.json()["data"][0]
    assert top["filename"] == "bulletin-s-rel-usa-gbr.md" and top["marking"] == "SECRET//REL TO USA, GBR"


def test_embeddings_are_served_by_the_e5_model(server: Server) -> None:
    client = OpenAI(base_url=server.base_url, api_key=server.key, max_retries=0)
    out = client.embeddings.create(model="multilingual-e5-small", input=["query: pompe hydraulique", "hydraulic pump"])
    a, b = (d.embedding for d in out.data)
    assert len(a) == 384 and sum(x * y for x, y in zip(a, b, strict=True)) > 0.8
