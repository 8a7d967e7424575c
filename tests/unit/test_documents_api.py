"""The documents API over HTTP (ASGI, FakeEngine): uploads, listings, search, answers with a
``garrison`` object (and its final stream chunk), every error an OpenAI-shaped 4xx."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from garrison.app import create_asgi
from tests.unit.test_documents import BULLETIN, MANUAL, Lib, lib  # noqa: F401 (the fixture)

Clients = dict[str, httpx.AsyncClient]
UPLOAD = "/v1/collections/maintenance/documents"


@pytest.fixture
async def clients(lib: Lib) -> AsyncIterator[Clients]:  # noqa: F811
    s = lib.rt.services
    keys = {who: s.keys.create(s.console, who).key for who in ("us", "de", "officer", "outsider")}
    app = create_asgi(lib.rt)
    out: Clients = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        for who, key in keys.items():
            out[who] = httpx.AsyncClient(
                transport=transport, base_url="http://127.0.0.1", headers={"Authorization": f"Bearer {key}"}
            )
        yield out
        for c in out.values():
            await c.aclose()


async def test_upload_list_search_delete(clients: Clients) -> None:
    officer = clients["officer"]
    doc = b"CONFIDENTIAL//REL TO USA\n\n# Brake bleeding\n\n(C//REL TO USA) Bleed the brakes with pump cart PFC-10.\n"
    r = await officer.post("/v1/collections/maintenance/documents", files={"file": ("brakes.md", doc)})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["marking"] == "CONFIDENTIAL//REL TO USA" and body["created"] is True and body["chunks"] == 1
    again = await officer.post("/v1/collections/maintenance/documents", files={"file": ("b.md", doc)})
    assert again.status_code == 200 and again.json()["created"] is False and again.json()["id"] == body["id"]
    r = await officer.post("/v1/collections/maintenance/search", json={"query": "bleed brakes PFC-10", "k": 3})
    assert r.status_code == 200
    top = r.json()["data"][0]
    assert top["document_id"] == body["id"] and top["marking"] == "CONFIDENTIAL//REL TO USA"
    assert top["portion_marking"] == "(C//REL TO USA)" and set(top["scores"]) <= {"lexical", "dense"}
    r = await clients["de"].post("/v1/collections/maintenance/search", json={"query": "bleed brakes PFC-10", "k": 20})
    assert body["id"] not in {h["document_id"] for h in r.json()["data"]}
    r = await officer.delete(f"/v1/collections/maintenance/documents/{body['id']}")
    assert r.status_code == 200 and r.json()["deleted"] is True


async def test_collections_are_counted_per_reader(clients: Clients) -> None:
    us = (await clients["us"].get("/v1/collections")).json()["data"]
    de = (await clients["de"].get("/v1/collections")).json()["data"]
    assert us[0]["documents"] == 3 and de[0]["documents"] == 1
    assert (await clients["outsider"].get("/v1/collections")).json()["data"] == []
    titles = {d["title"] for d in (await clients["de"].get("/v1/collections/maintenance/documents")).json()["data"]}
    assert titles == {"Hydraulic manual"}


@pytest.mark.parametrize(
    ("path", "kwargs", "status", "code"),
    [
        ("/v1/collections/nope/search", {"json": {"query": "pump"}}, 404, "not_found"),
        ("/v1/collections/maintenance/search", {"json": {"query": ""}}, 400, None),
        ("/v1/collections/maintenance/search", {"json": {"query": "x", "k": 0}}, 400, None),
        ("/v1/collections/maintenance/search", {"content": b"{not json"}, 400, None),
        (UPLOAD, {"files": {"file": ("x.pdf", b"not a pdf")}}, 400, "invalid_document"),
        (UPLOAD, {"files": {"file": ("x.txt", b"no banner")}}, 400, "invalid_document"),
        ("/v1/collections/maintenance/documents", {"data": {"marking": "SECRET"}}, 400, None),
        ("/v1/collections", {"json": {"name": "Bad Name!"}}, 400, "invalid_request"),
    ],
)
async def test_bad_requests_get_openai_shaped_errors(
    clients: Clients, path: str, kwargs: dict[str, object], status: int, code: str | None
) -> None:
    r = await clients["officer"].post(path, **kwargs)  # type: ignore[arg-type]
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["message"] and error["type"] == "invalid_request_error"
    if code is not None:
        assert error["code"] == code


async def test_an_upload_of_the_wrong_type_names_the_file(clients: Clients) -> None:
    r = await clients["officer"].post("/v1/collections/maintenance/documents", files={"file": ("manual.pdf", MANUAL)})
    assert r.status_code == 400 and r.json()["error"]["message"].startswith("manual.pdf: not a PDF")


async def test_an_upload_above_clearance_is_forbidden(clients: Clients) -> None:
    r = await clients["de"].post(
        "/v1/collections/maintenance/documents", files={"file": ("b.md", BULLETIN.replace(b"4180", b"4181"))}
    )
    assert r.status_code == 403 and "clearance" in r.json()["error"]["message"]


CHAT = {
    "model": "fake-model",
    "messages": [{"role": "user", "content": "spool HT-2291 serial numbers [1] [8]"}],
    "garrison": {"collections": ["maintenance"], "k": 4},
}


async def test_chat_with_collections_returns_citations_and_marking(clients: Clients) -> None:
    r = await clients["us"].post("/v1/chat/completions", json=CHAT)
    assert r.status_code == 200, r.text
    body = r.json()
    assert "[8]" not in body["choices"][0]["message"]["content"]
    g = body["garrison"]
    assert [c["number"] for c in g["citations"]] == [1]
    citation = g["citations"][0]
    assert set(citation) >= {"document_id", "title", "page", "chunk_id", "marking", "attributed"}
    assert g["marking"] == citation["marking"] and g["collections"] == ["maintenance"]


async def test_a_streamed_answer_ends_with_its_garrison_chunk_before_done(clients: Clients) -> None:
    events = []
    async with clients["us"].stream("POST", "/v1/chat/completions", json=CHAT | {"stream": True}) as r:
        assert r.status_code == 200
        async for line in r.aiter_lines():
            if line.startswith("data: "):
                events.append(line[6:])
    assert events[-1] == "[DONE]"
    last = json.loads(events[-2])
    assert last["choices"] == [] and last["garrison"]["citations"][0]["number"] == 1
    text = "".join(
        json.loads(e)["choices"][0]["delta"].get("content") or "" for e in events[:-2] if json.loads(e)["choices"]
    )
    assert "[1]" in text and "[8]" not in text


async def test_chat_naming_an_unknown_collection_is_a_404_before_streaming(clients: Clients) -> None:
    body = CHAT | {"stream": True, "garrison": {"collections": ["secret-stuff"]}}
    r = await clients["us"].post("/v1/chat/completions", json=body)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    bad = await clients["us"].post("/v1/chat/completions", json=CHAT | {"garrison": {"collections": []}})
    assert bad.status_code == 400


async def wait_for(client: httpx.AsyncClient, url: str) -> dict[str, object]:
    import asyncio

    for _ in range(200):
        body: dict[str, object] = (await client.get(url)).json()
        if body.get("status") in ("succeeded", "failed"):
            return body
        await asyncio.sleep(0.02)
    raise AssertionError(f"job did not finish: {body}")


async def test_an_upload_can_return_at_once_with_a_job_to_poll(clients: Clients) -> None:
    officer = clients["officer"]
    doc = b"UNCLASSIFIED\n\n# Tyres\n\n(U) Inflate with nitrogen to 95 psi.\n"
    r = await officer.post(f"{UPLOAD}?wait=false", files={"file": ("tyres.md", doc)})
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["object"] == "ingestion.job" and job["status"] in ("queued", "running", "succeeded")
    done = await wait_for(officer, f"/v1/collections/maintenance/jobs/{job['id']}")
    assert done["status"] == "succeeded" and done["chunks_done"] == done["chunks_total"] == 1
    document = done["document"]
    assert isinstance(document, dict) and document["marking"] == "UNCLASSIFIED"
    hits = (await officer.post("/v1/collections/maintenance/search", json={"query": "nitrogen tyres"})).json()
    assert hits["data"][0]["document_id"] == document["id"]
    # a job is its creator's alone; another collection's path does not find it either
    assert (await clients["us"].get(f"/v1/collections/maintenance/jobs/{job['id']}")).status_code == 404
    assert (await officer.get(f"/v1/collections/other/jobs/{job['id']}")).status_code == 404


async def test_a_bad_file_is_refused_at_once_even_without_waiting(clients: Clients) -> None:
    r = await clients["officer"].post(f"{UPLOAD}?wait=false", files={"file": ("x.pdf", b"not a pdf")})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_document"
    again = await clients["officer"].post(f"{UPLOAD}?wait=false", files={"file": ("m.md", MANUAL)})
    assert again.status_code == 200 and again.json()["created"] is False  # known content: no job needed
