"""The search index of a process, kept in step with the database.

Every change to documents is a line in ``retrieval_log`` written in the same transaction as the
change. Before each search the library reads the lines it has not applied yet (one indexed query)
and applies them, so a document ingested by the CLI in another process is searchable by the
server at its next search, and a deleted one is gone from it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np

from garrison.core.documents import Embedder, context_text
from garrison.retrieval.index import Index, IndexRow
from garrison.store.documents import DocumentRepository


class Library:
    def __init__(self, repo: DocumentRepository, embedder: Callable[[], Embedder]) -> None:
        self._repo = repo
        self._embedder = embedder
        self._index: Index | None = None
        self._seen = 0
        self._loaded: set[str] = set()
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        return self._embedder()

    def index(self) -> Index:
        """The index, brought up to date with the database."""
        with self._lock:
            if self._index is None:
                self._index = Index(self.embedder.dim)
                seen = self._repo.last_change()
                self._load(self._index, self._repo.all_documents())
                self._seen = seen
            self._follow(self._index)
            return self._index

    def _follow(self, index: Index) -> None:
        changes = self._repo.changes(self._seen)
        if not changes:
            return
        adds: list[str] = []
        for change in changes:
            if change.op == "add":
                if change.document_id not in self._loaded:
                    adds.append(change.document_id)
            elif change.document_id in self._loaded or change.document_id in adds:
                if change.document_id in adds:
                    adds.remove(change.document_id)
                else:
                    index.remove_documents([change.document_id], change.collection_id)
                    self._loaded.discard(change.document_id)
        self._load(index, adds)
        self._seen = changes[-1].seq

    def _load(self, index: Index, documents: Sequence[str]) -> None:
        if not documents:
            return
        rows: list[IndexRow] = []
        vectors = []
        for c in self._repo.indexed(documents, index.dim):
            rows.append(
                IndexRow(c.id, c.document_id, c.collection_id, c.marking, context_text(c.title, c.headings, c.text))
            )
            vectors.append(c.embedding)
        if rows:
            index.add(rows, np.vstack(vectors))
        self._loaded.update(documents)
