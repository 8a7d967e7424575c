"""The documents API: collections, uploads, search. Translation only: what a caller may see is
decided by the service layer (filtered by their access before anything is ranked or counted)."""

from __future__ import annotations

from typing import Any, Literal

import anyio
from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from garrison.core.documents import Citation, Document, Grounding, Hit
from garrison.core.types import Principal
from garrison.service.container import Services
from garrison.service.documents import CollectionView, SearchOptions
from garrison.service.ingestion import Job


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CollectionCreate(_Strict):
    name: str
    description: str = ""


class SearchBody(_Strict):
    query: str = Field(min_length=1, max_length=4000)
    k: int = Field(default=5, ge=1, le=100)
    mode: Literal["hybrid", "lexical", "dense"] = "hybrid"
    rerank: bool = False


def collection_dict(v: CollectionView) -> dict[str, Any]:
    c = v.collection
    return {
        "id": c.id,
        "object": "collection",
        "name": c.name,
        "description": c.description,
        "organisation": c.organisation,
        "created_at": int(c.created_at),
        "documents": v.documents,
        "chunks": v.chunks,
    }


def document_dict(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "object": "document",
        "title": d.title,
        "filename": d.filename,
        "format": d.format,
        "marking": d.marking.banner(),
        "pages": d.pages,
        "bytes": d.size_bytes,
        "chunks": d.chunks,
        "sha256": d.sha256,
        "ingested_at": int(d.ingested_at),
    }


def hit_dict(h: Hit) -> dict[str, Any]:
    return {
        "object": "search.result",
        "chunk_id": h.chunk_id,
        "document_id": h.document_id,
        "title": h.title,
        "filename": h.filename,
        "page": h.page,
        "headings": list(h.headings),
        "marking": h.marking.banner(),
        "portion_marking": h.marking.portion(),
        "text": h.text,
        "score": round(h.score, 6),
        "scores": {k: round(v, 6) for k, v in h.scores.items()},
    }


def citation_dict(c: Citation) -> dict[str, Any]:
    return {
        "number": c.number,
        "document_id": c.document_id,
        "title": c.title,
        "filename": c.filename,
        "page": c.page,
        "headings": list(c.headings),
        "chunk_id": c.chunk_id,
        "marking": c.marking.banner(),
        "attributed": c.attributed,
    }


def grounding_dict(g: Grounding) -> dict[str, Any]:
    """The ``garrison`` object of an answer from documents."""
    return {
        "citations": [citation_dict(c) for c in g.citations],
        "marking": g.marking.banner() if g.marking is not None else None,
        "context_marking": g.context_marking.banner() if g.context_marking is not None else None,
        "sources": g.sources,
        "collections": list(g.collections),
    }


def job_dict(j: Job) -> dict[str, Any]:
    return {
        "id": j.id,
        "object": "ingestion.job",
        "status": j.state,
        "collection": j.collection,
        "filename": j.filename,
        "chunks_done": j.chunks_done,
        "chunks_total": j.chunks_total,
        "created_at": int(j.created_at),
        "finished_at": int(j.finished_at) if j.finished_at is not None else None,
        "document": document_dict(j.document) if j.document is not None else None,
        "warnings": j.warnings,
        "error": {"message": j.error, "code": j.error_code} if j.error is not None else None,
    }


def documents_router(services: Services, caller: Any) -> APIRouter:
    router = APIRouter(prefix="/v1/collections")
    docs = services.documents

    @router.post("", status_code=201)
    async def create(body: CollectionCreate, who: Principal = caller) -> dict[str, Any]:
        c = docs.create_collection(who, body.name, body.description)
        return collection_dict(CollectionView(c, 0, 0))

    @router.get("")
    async def list_(who: Principal = caller) -> dict[str, Any]:
        return {"object": "list", "data": [collection_dict(v) for v in docs.collections(who)]}

    @router.get("/{name}")
    async def get(name: str, who: Principal = caller) -> dict[str, Any]:
        for v in docs.collections(who):
            if name in (v.collection.name, v.collection.id):
                return collection_dict(v)
        docs.collection(who, name)  # raises the 404
        raise AssertionError("unreachable")

    @router.delete("/{name}")
    async def delete(name: str, who: Principal = caller) -> dict[str, Any]:
        count = await anyio.to_thread.run_sync(lambda: docs.delete_collection(who, name))
        return {"id": name, "object": "collection.deleted", "deleted": True, "documents": count}

    @router.post("/{name}/documents", response_model=None)
    async def upload(
        name: str,
        file: UploadFile = File(...),
        marking: str | None = Form(None),
        originator: str | None = Form(None),
        wait: bool = True,
        who: Principal = caller,
    ) -> JSONResponse:
        """``wait=false``: 202 with a job to poll once the file is read and accepted (a bad file is
        refused at once either way); the embedding, which takes most of the time, runs behind."""
        data = await file.read()
        filename = file.filename or "upload"
        prepared = await anyio.to_thread.run_sync(
            lambda: docs.prepare(who, name, filename, data, marking=marking or None, originator=originator or None)
        )
        if not wait and not prepared.stored:
            job = services.ingestion.submit(who, name, prepared)
            return JSONResponse(job_dict(job), status_code=202)
        result = await anyio.to_thread.run_sync(lambda: docs.store(prepared))
        body = document_dict(result.document) | {"created": result.created, "warnings": result.warnings}
        return JSONResponse(body, status_code=201 if result.created else 200)

    @router.get("/{name}/jobs/{job_id}")
    async def job(name: str, job_id: str, who: Principal = caller) -> dict[str, Any]:
        return job_dict(services.ingestion.get(who, name, job_id))

    @router.get("/{name}/documents")
    async def documents(name: str, who: Principal = caller) -> dict[str, Any]:
        return {"object": "list", "data": [document_dict(d) for d in docs.documents(who, name)]}

    @router.delete("/{name}/documents/{document_id}")
    async def delete_document(name: str, document_id: str, who: Principal = caller) -> dict[str, Any]:
        await anyio.to_thread.run_sync(lambda: docs.delete_document(who, name, document_id))
        return {"id": document_id, "object": "document.deleted", "deleted": True}

    @router.post("/{name}/search")
    async def search(name: str, body: SearchBody, who: Principal = caller) -> dict[str, Any]:
        options = SearchOptions(k=body.k, mode=body.mode, rerank=body.rerank)
        hits = await anyio.to_thread.run_sync(lambda: docs.search(who, [name], body.query, options))
        return {"object": "list", "data": [hit_dict(h) for h in hits]}

    return router
