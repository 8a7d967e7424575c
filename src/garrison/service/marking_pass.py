"""Reading the classification markings of an extracted document: banners and portion markings.

- A block whose whole text is a marking written in capitals (``SECRET//REL TO USA, GBR``,
  ``NATO RESTRICTED``, ``DIFFUSION RESTREINTE``) is a banner: it is removed from the text, and the
  document's marking is the combination of its banners (normally one, repeated on every page).
- A paragraph that opens with a portion marking (``(S//REL TO USA, GBR) Check ...``) carries that
  marking; the marking is removed from the text and kept on the block.
- A document without a banner takes the marking given at ingestion (``--marking``); with neither,
  it is refused: an unmarked document is never guessed to be unclassified.
- When both exist and differ, the document gets their combination (never lower than either), and
  a warning says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from garrison.core.documents import Block, BlockKind, DocumentError, Extracted
from garrison.core.errors import InvalidRequest
from garrison.core.markings import Marking, combine_all
from garrison.security import markings

_STEP = re.compile(r"^\s*(?:\d{1,3}|[a-z])[.)]\s+\S")
_NUMBER = re.compile(r"^\s*((?:\d{1,3}|[a-zA-Z])[.)]|\(\d{1,3}\)|\([a-z]\))\s+")  # "3. (S) Check": number first
_MAX_BANNER = 160


def banner_of(line: str, originator: str | None) -> Marking | None:
    """The marking when ``line`` is a banner, else None. Banners are written in capitals. A line
    that starts like a banner (a level, then ``//``) but does not parse raises the parser's error."""
    text = line.strip()
    if not text or len(text) > _MAX_BANNER or text != text.upper() or not any(c.isalpha() for c in text):
        return None
    try:
        return markings.parse(text, originator=originator)
    except InvalidRequest:
        if "//" not in text or not _known_level(text.split("//", 1)[0]):
            return None
        raise  # "TOP SECRET//REL TO ATLANTIS": a banner that does not parse refuses the document


def _known_level(head: str) -> bool:
    try:
        markings.level(head.strip())
    except InvalidRequest:
        return False
    return True


class Hints:
    """What the extractor needs to keep banners and portions on lines of their own."""

    def __init__(self, originator: str | None) -> None:
        self._originator = originator

    def is_banner(self, line: str) -> bool:
        try:
            return banner_of(line, self._originator) is not None
        except InvalidRequest:
            return True  # a broken banner: its own block, refused by the marking pass

    def starts_portion(self, line: str) -> bool:
        try:
            found, _ = markings.split_portion(line, originator=self._originator)
        except InvalidRequest:
            return True  # a broken portion marking: its own block, refused by the marking pass
        return found is not None


@dataclass(frozen=True, slots=True)
class Marked:
    blocks: list[Block]
    marking: Marking  # the document's
    banner: Marking | None  # what the document itself said, if anything
    warnings: list[str]


def read_markings(extracted: Extracted, given: Marking | None, originator: str | None) -> Marked:
    banners: list[Marking] = []
    blocks: list[Block] = []
    portions: list[Marking] = []
    for block in extracted.blocks:
        if block.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING):
            try:
                found = banner_of(block.text, originator)
            except InvalidRequest as exc:
                raise DocumentError(f"the banner does not parse: {_message(exc)}") from exc
            if found is not None:
                banners.append(found)
                continue
        try:
            portion, text = _portion(block, originator)
        except InvalidRequest as exc:
            where = f" (page {block.page})" if block.page is not None else ""
            raise DocumentError(f"a portion marking does not parse{where}: {_message(exc)}") from exc
        if portion is None:
            blocks.append(block)
            continue
        portions.append(portion)
        kind = block.kind
        if kind is BlockKind.PARAGRAPH and _STEP.match(text):
            kind = BlockKind.STEP  # "(U) 3. Check the filter": a step once its marking is read
        blocks.append(replace(block, text=text.strip(), kind=kind, marking=portion))
    warnings: list[str] = []
    banner = combine_all(banners) if banners else None
    if banner is None and given is None:
        raise DocumentError(
            "no classification marking: the document has no banner line; give its marking "
            "(--marking, e.g. --marking UNCLASSIFIED or --marking 'SECRET//REL TO USA, GBR')"
        )
    if banner is not None and given is not None and banner != given:
        marking = banner.combine(given)
        warnings.append(f"the document's banner says {banner}, --marking says {given}: marked {marking}")
    elif banner is not None:
        marking = banner
    else:
        assert given is not None
        marking = given
    above = [p for p in portions if not marking.dominates(p)]
    if above:
        warnings.append(
            f"{len(above)} portion(s) marked above the document's banner ({marking}), e.g. {above[0]}: "
            "those chunks keep the higher marking; correct the banner"
        )
    if not any(b.text.strip() for b in blocks):
        raise DocumentError("no text found besides the markings")
    return Marked(blocks, marking, banner, warnings)


def _portion(block: Block, originator: str | None) -> tuple[Marking | None, str]:
    """The portion marking at the start of the block, or after the number of a step."""
    found, text = markings.split_portion(block.text, originator=originator)
    if found is None and block.kind in (BlockKind.STEP, BlockKind.ITEM):
        number = _NUMBER.match(block.text)
        if number is not None:
            inner, rest = markings.split_portion(block.text[number.end() :], originator=originator)
            if inner is not None:
                return inner, number.group(1) + " " + rest.lstrip()
    return found, text


def _message(exc: InvalidRequest) -> str:
    return exc.message
