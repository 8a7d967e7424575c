"""Documents as values: what extraction reads out of a file (blocks), what chunking makes of them
(chunks), and what retrieval and answers hand back (hits, citations). Pure; no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from garrison.core.errors import InvalidRequest
from garrison.core.markings import Marking


class DocumentError(InvalidRequest):
    """A file that cannot be ingested: not what its extension says, encrypted, broken, unreadable,
    or with a marking that does not parse. The message names the reason; the service adds the file."""

    code = "invalid_document"


@runtime_checkable
class Embedder(Protocol):
    """Text -> L2-normalised vectors; queries and passages may be embedded differently (E5)."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...

    def embed_passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    STEP = "step"  # an item of a numbered list: a procedure step ("1.", "2)", "a.")
    ITEM = "item"  # an item of a bulleted list
    TABLE = "table"  # a whole table, rows as lines, cells separated by " | "
    CODE = "code"  # preformatted text kept verbatim


@dataclass(frozen=True, slots=True)
class Block:
    """One structural unit of a document, in reading order."""

    kind: BlockKind
    text: str
    page: int | None = None  # 1-based page for paged formats (PDF); None otherwise
    level: int = 0  # headings: 1 is the top level; list items: nesting depth (0 = top)
    marking: Marking | None = None  # the portion marking, once the marking pass has read it


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a parser read out of one file."""

    format: str  # "pdf", "docx", "html", "markdown", "text"
    blocks: list[Block]
    title: str | None = None  # the document's own title (metadata, <title>, first heading)
    pages: int | None = None  # number of pages for paged formats


@dataclass(frozen=True, slots=True)
class ChunkDraft:
    """A chunk before it is stored: text, where it came from, its marking."""

    text: str
    headings: tuple[str, ...]  # the heading path, outermost first
    page: int | None
    page_end: int | None
    marking: Marking
    ordinal: int  # position in the document, from 0

    def embedding_text(self, title: str) -> str:
        return context_text(title, self.headings, self.text)


def context_text(title: str, headings: Sequence[str], text: str) -> str:
    """What the embedder, the lexical index and the reranker see of a chunk: the document's title
    and the heading path on the first line give context, then the text."""
    context = " > ".join(x for x in (title, *headings) if x)
    return f"{context}\n{text}" if context else text


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved chunk, readable by whoever asked."""

    chunk_id: int
    document_id: str
    collection_id: str
    title: str
    headings: tuple[str, ...]
    page: int | None
    marking: Marking
    text: str
    score: float  # fused score; higher is better
    scores: dict[str, float] = field(default_factory=dict)  # per method: lexical, dense, rerank
    filename: str = ""


@dataclass(frozen=True, slots=True)
class Collection:
    id: str
    organisation: str
    name: str
    description: str
    created_by: str
    created_at: float


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    collection_id: str
    sha256: str
    filename: str
    title: str
    format: str
    marking: Marking
    pages: int | None
    size_bytes: int
    chunks: int
    ingested_by: str
    ingested_at: float


@dataclass(frozen=True, slots=True)
class StoredChunk:
    id: int
    document_id: str
    ordinal: int
    page: int | None
    page_end: int | None
    headings: tuple[str, ...]
    marking: Marking
    text: str


@dataclass(frozen=True, slots=True)
class Citation:
    """A numbered source the answer cites."""

    number: int  # as written in the answer: [1], [2]
    chunk_id: int
    document_id: str
    title: str
    filename: str
    page: int | None
    headings: tuple[str, ...]
    marking: Marking
    attributed: bool = False  # True: Garrison matched the answer to this source; the model did not cite it


@dataclass(frozen=True, slots=True)
class Grounding:
    """What an answer drew on: the sources it cites and the marking it therefore carries."""

    citations: tuple[Citation, ...]
    marking: Marking | None  # derivative of the cited sources (of all given, if it cites none)
    context_marking: Marking | None  # derivative of every source given to the model
    sources: int  # how many sources were given to the model
    collections: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Retrieval:
    """A chat request's extension: answer from these collections."""

    collections: tuple[str, ...]
    k: int = 5
