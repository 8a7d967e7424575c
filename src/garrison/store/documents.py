"""Collections, documents and chunks. A document and its chunks are written, and deleted, in one
transaction, with a line in the change log that every search index follows (in any process)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from garrison.core.documents import ChunkDraft, Collection, Document, StoredChunk
from garrison.core.errors import Conflict, NotFound
from garrison.core.markings import Level, Marking
from garrison.store.db import Database


def marking_to_json(m: Marking) -> str:
    rel = None if m.releasable_to is None else sorted(m.releasable_to)
    return json.dumps({"level": int(m.level), "rel": rel, "caveats": sorted(m.caveats)}, separators=(",", ":"))


def marking_from_json(text: str) -> Marking:
    d = json.loads(text)
    rel = d.get("rel")
    return Marking(Level(int(d["level"])), None if rel is None else frozenset(rel), frozenset(d.get("caveats", ())))


def _collection(r: sqlite3.Row) -> Collection:
    return Collection(r["id"], r["organisation_id"], r["name"], r["description"], r["created_by"], r["created_at"])


def _document(r: sqlite3.Row, *, id_column: str = "id", marking_column: str = "marking") -> Document:
    return Document(
        id=r[id_column],
        collection_id=r["collection_id"],
        sha256=r["sha256"],
        filename=r["filename"],
        title=r["title"],
        format=r["format"],
        marking=marking_from_json(r[marking_column]),
        pages=r["pages"],
        size_bytes=r["size_bytes"],
        chunks=r["chunks"],
        ingested_by=r["ingested_by"],
        ingested_at=r["ingested_at"],
    )


def _chunk(r: sqlite3.Row) -> StoredChunk:
    return StoredChunk(
        id=r["id"],
        document_id=r["document_id"],
        ordinal=r["ordinal"],
        page=r["page"],
        page_end=r["page_end"],
        headings=tuple(json.loads(r["headings"])),
        marking=marking_from_json(r["marking"]),
        text=r["text"],
    )


@dataclass(frozen=True, slots=True)
class IndexedChunk:
    """What a search index loads for one chunk."""

    id: int
    document_id: str
    collection_id: str
    title: str
    headings: tuple[str, ...]
    marking: Marking
    text: str
    embedding: npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Change:
    seq: int
    collection_id: str
    document_id: str
    op: str  # "add" | "delete"


class DocumentRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- collections ---------------------------------------------------------------------------
    def create_collection(self, c: Collection) -> None:
        try:
            with self._db.transaction() as conn:
                conn.execute(
                    "INSERT INTO collections (id, organisation_id, name, description, created_by, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (c.id, c.organisation, c.name, c.description, c.created_by, c.created_at),
                )
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"collection {c.name!r} already exists in {c.organisation}") from exc

    def collection(self, organisation: str, name_or_id: str) -> Collection:
        rows = self._db.query(
            "SELECT * FROM collections WHERE organisation_id = ? AND (name = ? OR id = ?)",
            (organisation, name_or_id, name_or_id),
        )
        if not rows:
            raise NotFound(f"no collection {name_or_id!r} in {organisation}", param="collection")
        return _collection(rows[0])

    def organisation_of(self, collection_id: str) -> str:
        rows = self._db.query("SELECT organisation_id FROM collections WHERE id = ?", (collection_id,))
        if not rows:
            raise NotFound(f"no collection {collection_id!r}", param="collection")
        return str(rows[0][0])

    def collections(self, organisation: str | None) -> list[Collection]:
        if organisation is None:
            rows = self._db.query("SELECT * FROM collections ORDER BY organisation_id, name")
        else:
            rows = self._db.query("SELECT * FROM collections WHERE organisation_id = ? ORDER BY name", (organisation,))
        return [_collection(r) for r in rows]

    def delete_collection(self, collection_id: str) -> int:
        """Delete a collection with all its documents and chunks; return how many documents went."""
        with self._db.transaction() as conn:
            docs = [r[0] for r in conn.execute("SELECT id FROM documents WHERE collection_id = ?", (collection_id,))]
            for doc in docs:
                self._delete_document(conn, collection_id, doc)
            conn.execute("DELETE FROM collections WHERE id = ?", (collection_id,))
        return len(docs)

    # -- documents -----------------------------------------------------------------------------
    def find_by_hash(self, collection_id: str, sha256: str) -> Document | None:
        rows = self._db.query("SELECT * FROM documents WHERE collection_id = ? AND sha256 = ?", (collection_id, sha256))
        return _document(rows[0]) if rows else None

    def add_document(
        self, doc: Document, chunks: Sequence[ChunkDraft], embeddings: npt.NDArray[np.float32]
    ) -> list[int]:
        """Store a document and its chunks at once; return the chunk ids."""
        if len(chunks) != len(embeddings):
            raise ValueError("one embedding per chunk")
        vectors = np.ascontiguousarray(embeddings, dtype="<f4")
        try:
            with self._db.transaction() as conn:
                conn.execute(
                    "INSERT INTO documents (id, collection_id, sha256, filename, title, format, marking, pages, "
                    "size_bytes, chunks, ingested_by, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        doc.id, doc.collection_id, doc.sha256, doc.filename, doc.title, doc.format,
                        marking_to_json(doc.marking), doc.pages, doc.size_bytes, len(chunks), doc.ingested_by,
                        doc.ingested_at,
                    ),
                )  # fmt: skip
                ids = []
                for c, v in zip(chunks, vectors, strict=True):
                    cur = conn.execute(
                        "INSERT INTO chunks (document_id, ordinal, page, page_end, headings, marking, text, embedding) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            doc.id, c.ordinal, c.page, c.page_end, json.dumps(list(c.headings), ensure_ascii=False),
                            marking_to_json(c.marking), c.text, v.tobytes(),
                        ),
                    )  # fmt: skip
                    ids.append(int(cur.lastrowid or 0))
                conn.execute(
                    "INSERT INTO retrieval_log (collection_id, document_id, op) VALUES (?, ?, 'add')",
                    (doc.collection_id, doc.id),
                )
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"{doc.filename}: the same content is already in this collection") from exc
        return ids

    def document(self, document_id: str) -> Document:
        rows = self._db.query("SELECT * FROM documents WHERE id = ?", (document_id,))
        if not rows:
            raise NotFound(f"no document {document_id!r}", param="document")
        return _document(rows[0])

    def documents(self, collection_id: str) -> list[Document]:
        rows = self._db.query(
            "SELECT * FROM documents WHERE collection_id = ? ORDER BY ingested_at, id", (collection_id,)
        )
        return [_document(r) for r in rows]

    def delete_document(self, document_id: str) -> None:
        with self._db.transaction() as conn:
            row = conn.execute("SELECT collection_id FROM documents WHERE id = ?", (document_id,)).fetchone()
            if row is None:
                raise NotFound(f"no document {document_id!r}", param="document")
            self._delete_document(conn, row[0], document_id)

    @staticmethod
    def _delete_document(conn: sqlite3.Connection, collection_id: str, document_id: str) -> None:
        conn.execute("DELETE FROM chunks WHERE document_id = ?", (document_id,))
        conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        conn.execute(
            "INSERT INTO retrieval_log (collection_id, document_id, op) VALUES (?, ?, 'delete')",
            (collection_id, document_id),
        )

    # -- chunks --------------------------------------------------------------------------------
    def chunks(self, ids: Sequence[int]) -> dict[int, tuple[StoredChunk, Document]]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._db.query(
            f"SELECT c.id, c.document_id, c.ordinal, c.page, c.page_end, c.headings, c.marking, c.text, "  # noqa: S608
            f"d.id AS d_id, d.collection_id, d.sha256, d.filename, d.title, d.format, d.marking AS d_marking, "
            f"d.pages, d.size_bytes, d.chunks, d.ingested_by, d.ingested_at "
            f"FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id IN ({marks})",
            tuple(ids),
        )
        out = {}
        for r in rows:
            doc = _document(r, id_column="d_id", marking_column="d_marking")
            out[int(r["id"])] = (_chunk(r), doc)
        return out

    def indexed(self, document_ids: Sequence[str], dim: int) -> Iterator[IndexedChunk]:
        """The chunks of these documents, as a search index loads them."""
        for start in range(0, len(document_ids), 500):
            batch = tuple(document_ids[start : start + 500])
            marks = ",".join("?" * len(batch))
            rows = self._db.query(
                f"SELECT c.id, c.document_id, d.collection_id, d.title, c.headings, c.marking, c.text, c.embedding "  # noqa: S608
                f"FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.document_id IN ({marks}) "
                f"ORDER BY c.id",
                batch,
            )
            for r in rows:
                vector = np.frombuffer(r["embedding"], dtype="<f4")
                if vector.shape[0] != dim:
                    continue  # written by another embedding model: not searchable until re-ingested
                yield IndexedChunk(
                    r["id"], r["document_id"], r["collection_id"], r["title"], tuple(json.loads(r["headings"])),
                    marking_from_json(r["marking"]), r["text"], vector,
                )  # fmt: skip

    def changes(self, after: int) -> list[Change]:
        rows = self._db.query(
            "SELECT seq, collection_id, document_id, op FROM retrieval_log WHERE seq > ? ORDER BY seq", (after,)
        )
        return [Change(r[0], r[1], r[2], r[3]) for r in rows]

    def last_change(self) -> int:
        return int(self._db.query("SELECT coalesce(max(seq), 0) FROM retrieval_log")[0][0])

    def all_documents(self) -> list[str]:
        return [r[0] for r in self._db.query("SELECT id FROM documents ORDER BY rowid")]
