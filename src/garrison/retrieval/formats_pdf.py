"""PDF -> blocks, through pdfium: the text of each page line by line, with the geometry of each line
(baseline, left and right edge, font size, boldness) to tell paragraphs apart (vertical space, a
short last line) and headings from body text (larger or bold type). Tables are not detected."""

from __future__ import annotations

import ctypes
import re
import threading
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from statistics import median
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from garrison.core.documents import BlockKind, DocumentError, Extracted
from garrison.retrieval.lines import Line, LineHints, assemble

# pdfium is not thread-safe, not even across documents: one extraction at a time per process.
_PDFIUM = threading.Lock()

_LINE = re.compile(r"[^\r\n]+")
_SOFT_HYPHEN = re.compile(r"[\ufffe\x02](.?)")  # pdfium's mark for a hyphen that ended a line
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff\uffff]")
_PAGE_NUMBER = re.compile(r"(?i:page\s+)?\d{1,4}(?:\s*(?:/|of|de|von|di)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]")
_JUNK_TITLE = re.compile(r"(?i)^(?:microsoft \w+ - |untitled)|\.(?:docx?|pdf|odt|rtf|txt|tex|dvi|indd)$")
_FORCE_BOLD = 1 << 18
_BOLD_NAME = re.compile(r"(?i)bold|black|heavy|semibold|demi")


@dataclass(slots=True)
class _RawLine:
    text: str
    page: int
    x: float  # left edge of the first character
    y: float  # baseline
    right: float  # right edge of the last character
    size: float
    bold: bool


def extract_pdf(data: bytes, hints: LineHints) -> Extracted:
    if data.find(b"%PDF-", 0, 1024) < 0:
        raise DocumentError(f"not a PDF: the file starts with {_head(data)}, not '%PDF-'")
    with _PDFIUM:
        raw, pages, meta_title = _read(data)
    lines = _lines(raw)
    blocks = assemble(lines, hints)
    if not blocks:
        raise DocumentError("no text found (a scanned document needs OCR, which Garrison does not do)")
    title = meta_title if meta_title and not _JUNK_TITLE.search(meta_title) else None
    if title is None:
        title = next((b.text for b in blocks if b.kind is BlockKind.HEADING), None)
    return Extracted(format="pdf", blocks=blocks, title=title, pages=pages)


def _head(data: bytes) -> str:
    shown = "".join(c if c.isprintable() else "?" for c in data[:9].decode("latin-1"))
    return f"'{shown}'"


def _reason(exc: Exception) -> str:
    match = re.search(r"PDFium: ([^)]*)\)", str(exc))
    return (match.group(1) if match else str(exc) or type(exc).__name__).lower()


def _read(data: bytes) -> tuple[list[_RawLine], int, str]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise DocumentError("encrypted PDF: remove the password and ingest it again") from None
        raise DocumentError(f"broken PDF: {_reason(exc)}") from None
    try:
        count = len(document)
        title = str(document.get_metadata_value("Title") or "").strip()
        lines: list[_RawLine] = []
        for index in range(count):
            page = document.get_page(index)
            try:
                textpage = page.get_textpage()
                try:
                    lines.extend(_page_lines(textpage, index + 1))
                finally:
                    textpage.close()
            finally:
                page.close()
        return lines, count, title
    except (pdfium.PdfiumError, AssertionError, ValueError, OSError) as exc:
        raise DocumentError(f"broken PDF: {_reason(exc)}") from None
    finally:
        document.close()


def _page_lines(textpage: Any, number: int) -> list[_RawLine]:
    text = str(textpage.get_text_range())
    if not text.strip():
        return []
    handle = textpage.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    name = ctypes.create_string_buffer(96)
    flags = ctypes.c_int()

    def bold(char: int) -> bool:
        pdfium_c.FPDFText_GetFontInfo(handle, char, name, 96, ctypes.byref(flags))
        heavy = pdfium_c.FPDFText_GetFontWeight(handle, char) >= 600 or flags.value & _FORCE_BOLD
        return bool(heavy or _BOLD_NAME.search(name.value.decode("latin-1")))

    out: list[_RawLine] = []
    for match in _LINE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        first = pdfium_c.FPDFText_GetCharIndexFromTextIndex(handle, match.start() + line.index(stripped[0]))
        last = pdfium_c.FPDFText_GetCharIndexFromTextIndex(handle, match.start() + len(line.rstrip()) - 1)
        if first < 0 or last < 0:
            first = last = max(first, last, 0)
        pdfium_c.FPDFText_GetCharOrigin(handle, first, ctypes.byref(x), ctypes.byref(y))
        pdfium_c.FPDFText_GetCharBox(handle, last, left, right, bottom, top)
        if "\ufffe" in stripped or "\x02" in stripped:
            stripped = _SOFT_HYPHEN.sub(_unsoft, stripped)
        stripped = _CONTROL.sub("", stripped).strip()
        if stripped:
            size = float(pdfium_c.FPDFText_GetFontSize(handle, first))
            heavy = bold(first) and bold(last)
            out.append(_RawLine(stripped, number, x.value, y.value, right.value, size, heavy))
    return _drop_page_numbers(out)


def _unsoft(match: re.Match[str]) -> str:
    after = match.group(1)
    return after if after.islower() else f"-{after}"


def _drop_page_numbers(lines: list[_RawLine]) -> list[_RawLine]:
    """A bare page number ("12", "Page 3 of 9", "- 4 -") among the first or last two lines goes."""
    edges = {0, 1, len(lines) - 2, len(lines) - 1}
    return [ln for i, ln in enumerate(lines) if not (i in edges and _PAGE_NUMBER.fullmatch(ln.text))]


def _lines(raw: list[_RawLine]) -> list[Line]:
    """Geometry -> paragraph breaks (per page) and heading levels (per document)."""
    if not raw:
        return []
    weights: Counter[float] = Counter()
    bold_chars = 0
    for ln in raw:
        weights[round(ln.size * 2) / 2] += len(ln.text)
        bold_chars += len(ln.text) if ln.bold else 0
    body = weights.most_common(1)[0][0] or 10.0
    body_bold = bold_chars * 2 > sum(weights.values())
    big = sorted({round(ln.size * 2) / 2 for ln in raw if ln.size >= body * 1.15 and _short(ln.text)}, reverse=True)
    rank = {size: i + 1 for i, size in enumerate(big)}

    gaps = _gaps(raw)
    out: list[Line] = []
    for i, ln in enumerate(raw):
        level = 0
        if ln.size >= body * 1.15 and _short(ln.text):
            level = rank.get(round(ln.size * 2) / 2, 1)
        elif ln.bold and not body_bold and ln.size >= body * 0.9 and _short(ln.text, 14) and gaps[i]:
            following = raw[i + 1] if i + 1 < len(raw) else None
            if following is None or gaps[i + 1] or not following.bold:
                level = len(big) + 1
        out.append(Line(ln.text, ln.page, gaps[i], ln.x, level))
    return out


def _short(text: str, words: int = 20) -> bool:
    return text[-1] not in ".,;" and len(text.split()) <= words


def _gaps(raw: list[_RawLine]) -> list[bool]:
    """Whether a paragraph break comes before each line: page start, more vertical space than the
    page's usual line spacing, a jump up or sideways (new column), or a short previous line that
    ended a sentence."""
    gaps = [True] * len(raw)
    start = 0
    while start < len(raw):
        end = start
        while end < len(raw) and raw[end].page == raw[start].page:
            end += 1
        page = raw[start:end]
        deltas = [a.y - b.y for a, b in pairwise(page)]
        spacing = median([d for d in deltas if d > 0.5] or [0.0])
        full = [ln.right for ln in page if len(ln.text) >= 40]
        margin = min(ln.x for ln in page)
        full_right = median(full) if full else 0.0
        for i, delta in enumerate(deltas, start=start + 1):
            previous = raw[i - 1]
            gaps[i] = (
                delta <= 0.3 * previous.size
                or delta > spacing * 1.3 + 0.5
                or (
                    previous.text[-1] in ".!?:"
                    and full_right > margin
                    and previous.right < full_right - 0.25 * (full_right - margin)
                )
            )
        start = end
    return gaps
