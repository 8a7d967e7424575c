"""Collections, ingestion and search: the document use-cases behind the API and the CLI.

Ingestion: extract -> read markings -> chunk -> embed -> store (one transaction). Search: the
caller's access is decided per marking *before* anything is scored (``retrieval.index``), the
lexical and dense rankings are fused, and each returned chunk's marking is checked again against
the policy on the way out.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from garrison.core.clock import Clock, IdGenerator
from garrison.core.documents import (
    ChunkDraft,
    Collection,
    Document,
    DocumentError,
    Hit,
    StoredChunk,
    context_text,
)
from garrison.core.errors import Conflict, InvalidRequest, NotFound, PermissionDenied
from garrison.core.events import SearchEvent
from garrison.core.markings import Marking
from garrison.core.types import CONSOLE, Principal
from garrison.retrieval import fusion, rerank
from garrison.retrieval.chunker import ChunkSizes, chunk
from garrison.retrieval.extract import extract
from garrison.retrieval.text import tokens
from garrison.security import markings
from garrison.security.policy import Action, Resource
from garrison.service.authz import Authoriser, request_id
from garrison.service.library import Library
from garrison.service.marking_pass import Hints, read_markings
from garrison.store.documents import DocumentRepository

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
Mode = Literal["hybrid", "lexical", "dense"]
Progress = Callable[[int, int], None]  # (chunks embedded, chunks in the document)
# (who, organisation, document id, chunk texts) -> the texts pseudonymised, or None: the
# organisation's privacy policy keeps documents as they are
Pseudonymise = Callable[[Principal, str, str, list[str]], "list[str] | None"]
# (who ingested it, organisation, document id, (chunk id, text) pairs) -> chunks flagged for review
Flag = Callable[[str, str, str, list[tuple[int, str]]], int]
EMBED_BATCH = 4  # ~1.5 s of E5 on 2 cores: a search waits at most that for the embedder
DEPTH = 100  # how deep each method ranks before fusion


@dataclass(frozen=True, slots=True)
class CollectionView:
    collection: Collection
    documents: int  # readable by the caller
    chunks: int


@dataclass(frozen=True, slots=True)
class Ingested:
    document: Document
    created: bool  # False: the same content was already there (nothing changed)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document read, marked, authorised and chunked; not yet embedded nor stored."""

    document: Document
    drafts: list[ChunkDraft]
    warnings: list[str]
    stored: bool = False  # the same content is stored already: ``document`` is that one


@dataclass(frozen=True, slots=True)
class SearchOptions:
    k: int = 5
    mode: Mode = "hybrid"
    fusion: fusion.Method = "rrf"
    weight: float = 0.5  # convex fusion: share of the dense score
    rerank: bool = False  # the feature reranker over the top candidates (docs/retrieval-eval.md)


class DocumentService:
    def __init__(
        self,
        repo: DocumentRepository,
        library: Library,
        authz: Authoriser,
        clock: Clock,
        ids: IdGenerator,
        *,
        max_bytes: int = 64 * 1024 * 1024,
        sizes: ChunkSizes | None = None,
        pseudonymise: Pseudonymise | None = None,
        flag: Flag | None = None,
    ) -> None:
        self._pseudonymise = pseudonymise
        self._flag = flag
        self._repo = repo
        self.library = library
        self._authz = authz
        self._clock = clock
        self._ids = ids
        self._max_bytes = max_bytes
        self._sizes = sizes or ChunkSizes()

    # -- collections ---------------------------------------------------------------------------
    def _organisation(self, p: Principal, organisation: str | None) -> str:
        if organisation is not None and (p.role == CONSOLE or organisation == p.organisation):
            return organisation
        if p.organisation is None:
            raise InvalidRequest("say which organisation the collection belongs to (--organisation)")
        return p.organisation

    def create_collection(
        self, p: Principal, name: str, description: str = "", *, organisation: str | None = None
    ) -> Collection:
        if not NAME_RE.match(name):
            raise InvalidRequest(
                f"collection name {name!r} is not valid: use lower-case letters, digits, '.', '_' or '-' "
                "(at most 64, starting with a letter or digit), e.g. maintenance",
                param="name",
            )
        org = self._organisation(p, organisation)
        self._authz.require(p, Action.DOCUMENT_INGEST, Resource("collection", name, org), "collection.create")
        c = Collection(self._ids.new("col"), org, name, description.strip(), p.actor, self._clock.now())
        self._repo.create_collection(c)
        return c

    def collection(self, p: Principal, name: str, *, organisation: str | None = None) -> Collection:
        return self._repo.collection(self._organisation(p, organisation), name)

    def ensure_collection(self, p: Principal, name: str, *, organisation: str | None = None) -> Collection:
        try:
            return self.collection(p, name, organisation=organisation)
        except NotFound:
            return self.create_collection(p, name, organisation=organisation)

    def collections(self, p: Principal, *, organisation: str | None = None) -> list[CollectionView]:
        org = self._organisation(p, organisation)
        out = []
        for c in self._repo.collections(org):
            if p.role != CONSOLE and not self._authz.may(p, Action.DOCUMENT_READ, _coll(c)):
                continue
            docs = self._readable(p, c, self._repo.documents(c.id))
            out.append(CollectionView(c, len(docs), sum(d.chunks for d in docs)))
        return out

    def delete_collection(self, p: Principal, name: str, *, organisation: str | None = None) -> int:
        c = self.collection(p, name, organisation=organisation)
        docs = self._repo.documents(c.id)
        self._authz.require(p, Action.DOCUMENT_DELETE, _coll(c), "collection.delete")
        # nobody removes what they may not see; the refusal names no document, level or count
        if not all(self._sees(p, c, d) for d in docs):
            raise PermissionDenied(
                f"collection.delete refused: {c.name} holds documents you may not read; "
                "someone cleared for all of them must delete it"
            )
        for d in docs:
            self._authz.require(p, Action.DOCUMENT_DELETE, _doc(c, d), "collection.delete")
        return self._repo.delete_collection(c.id)

    # -- documents -----------------------------------------------------------------------------
    def _sees(self, p: Principal, c: Collection, d: Document) -> bool:
        """Whether the document exists for the caller. The console sees what is stored (it lists,
        stores and removes, but never reads the text)."""
        return p.role == CONSOLE or self._authz.may(p, Action.DOCUMENT_READ, _doc(c, d))

    def _readable(self, p: Principal, c: Collection, docs: Sequence[Document]) -> list[Document]:
        return [d for d in docs if self._sees(p, c, d)]

    def documents(self, p: Principal, collection: str, *, organisation: str | None = None) -> list[Document]:
        c = self.collection(p, collection, organisation=organisation)
        if p.role != CONSOLE:
            self._authz.require(p, Action.DOCUMENT_READ, _coll(c), "document.list")
        return self._readable(p, c, self._repo.documents(c.id))

    def delete_document(
        self, p: Principal, collection: str, document_id: str, *, organisation: str | None = None
    ) -> None:
        c = self.collection(p, collection, organisation=organisation)
        try:
            d = self._repo.document(document_id)
        except NotFound:
            d = None
        if d is None or d.collection_id != c.id or not self._sees(p, c, d):
            # the same answer for "does not exist" and "exists but not for you"
            raise NotFound(f"no document {document_id!r} in {c.name}", param="document")
        self._authz.require(p, Action.DOCUMENT_DELETE, _doc(c, d), "document.delete", {"title": d.title})
        self._repo.delete_document(d.id)

    def ingest(
        self,
        p: Principal,
        collection: str,
        filename: str,
        data: bytes,
        *,
        marking: str | None = None,
        originator: str | None = None,
        organisation: str | None = None,
        progress: Progress | None = None,
    ) -> Ingested:
        """Store one file; identical content already in the collection is a no-op."""
        prepared = self.prepare(
            p, collection, filename, data, marking=marking, originator=originator, organisation=organisation
        )
        return self.store(prepared, progress)

    def prepare(
        self,
        p: Principal,
        collection: str,
        filename: str,
        data: bytes,
        *,
        marking: str | None = None,
        originator: str | None = None,
        organisation: str | None = None,
    ) -> Prepared:
        """Everything but the embedding, which is slow: read the file, its markings, the caller's
        right to store it, its chunks. Fast (milliseconds per page), so every refusal comes at once.

        The file is read (and its marking checked against the caller's clearance) even when the
        same content is stored already: a wrong extension or a marking the caller may not hold is
        refused the same way for new and known content."""
        name = filename.replace("\\", "/").rsplit("/", 1)[-1] or "document"
        c = self.collection(p, collection, organisation=organisation)
        self._authz.require(p, Action.DOCUMENT_INGEST, _coll(c), "document.ingest")
        if len(data) > self._max_bytes:
            raise DocumentError(f"{name}: {len(data):,} bytes is above the limit of {self._max_bytes:,}")
        digest = hashlib.sha256(data).hexdigest()
        origin = originator or p.organisation_nation
        try:
            given = markings.parse(marking, originator=origin) if marking else None
            extracted = extract(data, name, hints=Hints(origin))
            marked = read_markings(extracted, given, origin)
        except InvalidRequest as exc:
            raise DocumentError(f"{name}: {exc.message}", param="file") from exc
        doc = Document(
            id=self._ids.new("doc"),
            collection_id=c.id,
            sha256=digest,
            filename=name,
            title=(extracted.title or name).strip()[:300],
            format=extracted.format,
            marking=marked.marking,
            pages=extracted.pages,
            size_bytes=len(data),
            chunks=0,
            ingested_by=p.actor,
            ingested_at=self._clock.now(),
        )
        self._authz.require(
            p, Action.DOCUMENT_INGEST, _doc(c, doc), "document.ingest", {"file": name, "sha256": digest}
        )
        existing = self._repo.find_by_hash(c.id, digest)
        if existing is not None:
            if self._sees(p, c, existing):
                return Prepared(existing, [], [], stored=True)  # nothing to embed
            raise Conflict(f"{name}: the same content is already in this collection")
        drafts = [_untitled(d, doc.title) for d in chunk(marked.blocks, floor=marked.marking, sizes=self._sizes)]
        if not drafts:
            raise DocumentError(f"{name}: no text found besides headings and markings", param="file")
        if self._pseudonymise is not None:
            texts = self._pseudonymise(p, c.organisation, doc.id, [d.text for d in drafts])
            if texts is not None:
                drafts = [replace(d, text=t) for d, t in zip(drafts, texts, strict=True)]
        return Prepared(doc, drafts, marked.warnings)

    def store(self, prepared: Prepared, progress: Progress | None = None) -> Ingested:
        """Embed the chunks (in small batches, so searches get the embedder between them) and store
        the document with them in one transaction."""
        doc = prepared.document
        if prepared.stored:
            return Ingested(doc, created=False)
        embedder = self.library.embedder
        texts = [d.embedding_text(doc.title) for d in prepared.drafts]
        vectors = []
        for start in range(0, len(texts), EMBED_BATCH):
            vectors.append(embedder.embed_passages(texts[start : start + EMBED_BATCH]))
            if progress is not None:
                progress(min(start + EMBED_BATCH, len(texts)), len(texts))
        ids = self._repo.add_document(doc, prepared.drafts, np.vstack(vectors))
        warnings = list(prepared.warnings)
        if self._flag is not None:
            organisation = self._repo.organisation_of(doc.collection_id)
            chunks = [(i, d.text) for i, d in zip(ids, prepared.drafts, strict=True)]
            flagged = self._flag(doc.ingested_by, organisation, doc.id, chunks)
            if flagged:
                warnings.append(
                    f"{flagged} chunk(s) carry instructions aimed at a model: flagged for review, and withheld "
                    "from answers"
                )
        return Ingested(self._repo.document(doc.id), created=True, warnings=warnings)

    # -- search --------------------------------------------------------------------------------
    def search(
        self, p: Principal, collections: Sequence[str], query: str, options: SearchOptions | None = None
    ) -> list[Hit]:
        options = options or SearchOptions()
        if not query.strip():
            raise InvalidRequest("the query is empty", param="query")
        if not collections:
            raise InvalidRequest("name at least one collection", param="collections")
        if not 1 <= options.k <= 100:
            raise InvalidRequest("k must be between 1 and 100", param="k")
        found = [self.collection(p, name) for name in dict.fromkeys(collections)]
        for c in found:
            self._authz.require(p, Action.DOCUMENT_READ, _coll(c), "document.search", quiet=True)
        by_id = {c.id: c for c in found}
        org = found[0].organisation

        def readable(m: Marking) -> bool:
            return self._authz.may(p, Action.DOCUMENT_READ, Resource("chunk", None, org, marking=m))

        index = self.library.index()
        terms = tokens(query) if options.mode != "dense" else []
        vector = self.library.embedder.embed_queries([query])[0] if options.mode != "lexical" else None
        searched = index.search(by_id, readable, terms=terms, vector=vector, depth=max(DEPTH, options.k))
        fused = fusion.fuse(searched.lexical, searched.dense, method=options.fusion, weight=options.weight)
        top = fused[: max(options.k, rerank.DEPTH) if options.rerank else options.k]
        rows = self._repo.chunks([f.id for f in top])
        if options.rerank:
            top = _reranked(query, top, rows)
        top = top[: options.k]
        hits = []
        for f in top:
            row = rows.get(f.id)
            if row is None:
                continue  # deleted since the index was read
            stored, doc = row
            if doc.collection_id not in by_id or not readable(stored.marking):
                continue  # defence in depth: the index and the store must agree
            scores = {k: v for k, v in (("lexical", f.lexical), ("dense", f.dense)) if v is not None}
            hits.append(
                Hit(stored.id, doc.id, doc.collection_id, doc.title, stored.headings, stored.page, stored.marking,
                    stored.text, f.score, scores, doc.filename)
            )  # fmt: skip
        self._authz.emit(
            SearchEvent(
                at=self._authz.now(),
                actor=p.actor,
                organisation=p.organisation,
                action=Action.DOCUMENT_READ.value,
                operation="document.search",
                resource=f"collection:{','.join(by_id)}",
                allowed=True,
                reasons=(f"{len(hits)} readable chunk(s) returned",),
                request_id=request_id(),
                collections=tuple(by_id),
                query_sha256=hashlib.sha256(query.encode()).hexdigest(),
                chunks=tuple(h.chunk_id for h in hits),
                markings=tuple(sorted({str(h.marking) for h in hits})),
            )
        )
        return hits


def _reranked(query: str, top: list[fusion.Fused], rows: dict[int, tuple[StoredChunk, Document]]) -> list[fusion.Fused]:
    candidates = []
    for f in top:
        if f.id in rows:
            stored, doc = rows[f.id]
            text = context_text(doc.title, stored.headings, stored.text)
            candidates.append(rerank.Candidate(f.id, text, f.score, f.lexical, f.dense))
    by_id = {f.id: f for f in top}
    return [replace(by_id[i], score=s) for i, s in rerank.rerank(query, candidates)]


def _untitled(draft: ChunkDraft, title: str) -> ChunkDraft:
    """The document's title is context of every chunk already: not also the top of its heading path."""
    if draft.headings and draft.headings[0].casefold() == title.casefold():
        return replace(draft, headings=draft.headings[1:])
    return draft


def _coll(c: Collection) -> Resource:
    return Resource("collection", c.id, c.organisation)


def _doc(c: Collection, d: Document) -> Resource:
    return Resource("document", d.id, c.organisation, marking=d.marking)
