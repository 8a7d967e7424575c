"""File bytes -> structural blocks (headings, paragraphs, steps, items, tables, code), in reading
order, with the page for paged formats. One entry point, dispatching on the file's extension.

Markings are not read here: the service's marking pass does that later. Extraction only honours
the ``LineHints`` it is given so that a banner line stays a block of its own and a portion marking
starts a new block, where blocks are guessed from lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from garrison.core.documents import DocumentError, Extracted
from garrison.retrieval.formats_docx import extract_docx
from garrison.retrieval.formats_html import extract_html
from garrison.retrieval.formats_markdown import extract_markdown
from garrison.retrieval.formats_pdf import extract_pdf
from garrison.retrieval.formats_text import extract_text
from garrison.retrieval.lines import NO_HINTS, LineHints

__all__ = ["EXTENSIONS", "NO_HINTS", "LineHints", "extract"]

_Reader = Callable[[bytes, LineHints], Extracted]

EXTENSIONS: dict[str, _Reader] = {
    ".pdf": extract_pdf,
    ".docx": extract_docx,
    ".html": extract_html,
    ".htm": extract_html,
    ".md": extract_markdown,
    ".markdown": extract_markdown,
    ".txt": extract_text,
    ".text": extract_text,
}


def extract(data: bytes, filename: str, *, hints: LineHints = NO_HINTS) -> Extracted:
    """The blocks of one file. Every failure is a ``DocumentError`` with a reason a person can act on
    (the caller names the file): wrong content for the extension, encrypted, broken, no text."""
    suffix = PurePath(filename).suffix.lower()
    reader = EXTENSIONS.get(suffix)
    if reader is None:
        shown = f"'{suffix}'" if suffix else "(no extension)"
        raise DocumentError(f"unsupported format {shown}: expected PDF, DOCX, HTML, Markdown or plain text")
    try:
        return reader(bytes(data), hints)
    except DocumentError:
        raise
    except RecursionError:
        raise DocumentError("unreadable file: its structure is nested too deeply") from None
    except Exception as exc:  # a parser's own failure on a malformed file, never a crash of the service
        raise DocumentError(f"unreadable {suffix[1:].upper()} file: {type(exc).__name__}: {exc}") from None
