"""Structure-aware chunking and the marking pass: banners, portions, the floor, procedures kept
whole, tables split between rows, headings carried on every chunk."""

from __future__ import annotations

import pytest

from garrison.core.documents import Block, BlockKind, DocumentError, Extracted
from garrison.core.markings import GROUPS, UNCLASSIFIED, Level, Marking
from garrison.retrieval.chunker import ChunkSizes, chunk
from garrison.retrieval.extract import extract
from garrison.service.marking_pass import Hints, banner_of, read_markings

H, P, S, T = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.STEP, BlockKind.TABLE
SECRET_UK_US = Marking(Level.SECRET, frozenset({"USA", "GBR"}))


def words(n: int, word: str = "check") -> str:
    return " ".join([word] * n)


def test_chunks_carry_the_heading_path_and_never_cross_a_heading() -> None:
    blocks = [
        Block(H, "29 Hydraulics", level=1),
        Block(P, "General text.", page=1),
        Block(H, "29-12 Fault isolation", level=2),
        Block(P, "Low pressure.", page=2),
        Block(H, "30 Ice protection", level=1),
        Block(P, "Heaters.", page=3),
    ]
    out = chunk(blocks, floor=UNCLASSIFIED)
    assert [(c.headings, c.text, c.page) for c in out] == [
        (("29 Hydraulics",), "General text.", 1),
        (("29 Hydraulics", "29-12 Fault isolation"), "Low pressure.", 2),
        (("30 Ice protection",), "Heaters.", 3),
    ]
    assert [c.ordinal for c in out] == [0, 1, 2]


def test_a_procedure_stays_whole_with_its_introduction() -> None:
    blocks = [Block(P, "Do these steps:")] + [Block(S, f"{i}. {words(20)}") for i in range(1, 8)]
    blocks.append(Block(P, words(100, "after")))
    out = chunk(blocks, floor=UNCLASSIFIED, sizes=ChunkSizes(target_words=100, max_words=200))
    assert out[0].text.startswith("Do these steps:") and "7. check" in out[0].text
    assert all("after" not in c.text for c in out[:1])


def test_a_long_procedure_is_split_between_steps_never_inside_one() -> None:
    blocks = [Block(S, f"{i}. {words(30)}") for i in range(1, 11)]
    out = chunk(blocks, floor=UNCLASSIFIED, sizes=ChunkSizes(target_words=60, max_words=100))
    assert len(out) > 1
    for c in out:
        for line in c.text.split("\n"):
            assert line.split(".")[0].isdigit() and len(line.split()) == 31


def test_a_long_table_is_split_between_rows_with_its_header_repeated() -> None:
    rows = "\n".join(f"HP-{i} | {words(8, 'spare')}" for i in range(40))
    out = chunk([Block(T, "Part | Description\n" + rows)], floor=UNCLASSIFIED, sizes=ChunkSizes(60, 100))
    assert len(out) > 2 and all(c.text.startswith("Part | Description\n") for c in out)


def test_markings_never_mix_and_never_fall_below_the_floor() -> None:
    floor = Marking(Level.RESTRICTED, GROUPS["NATO"])
    blocks = [
        Block(P, "open text", marking=UNCLASSIFIED),
        Block(P, "secret text", marking=SECRET_UK_US),
        Block(P, "more open text", marking=UNCLASSIFIED),
    ]
    out = chunk(blocks, floor=floor)
    assert [c.text for c in out] == ["open text", "secret text", "more open text"]
    assert out[0].marking == floor  # a portion below the banner is raised to it
    assert out[1].marking == Marking(Level.SECRET, frozenset({"USA", "GBR"}))  # REL TO narrowed to both


def test_banner_lines_are_read_and_removed_and_portions_kept_on_blocks() -> None:
    text = (
        "SECRET//REL TO USA, GBR\n\nBulletin\n=======\n\n(U) Open paragraph.\n\n"
        "(S//REL TO USA, GBR) Secret paragraph.\n\nSECRET//REL TO USA, GBR\n"
    )
    extracted = extract(text.encode(), "b.txt", hints=Hints(None))
    marked = read_markings(extracted, None, None)
    assert marked.marking == SECRET_UK_US and marked.banner == SECRET_UK_US
    texts = [b.text for b in marked.blocks]
    assert "SECRET//REL TO USA, GBR" not in texts
    assert ("Open paragraph.", UNCLASSIFIED) in [(b.text, b.marking) for b in marked.blocks]
    assert ("Secret paragraph.", SECRET_UK_US) in [(b.text, b.marking) for b in marked.blocks]


def test_a_portion_after_a_step_number_is_read() -> None:
    marked = read_markings(Extracted("text", [Block(S, "3. (S//REL TO USA) Check the pump.")]), UNCLASSIFIED, None)
    block = marked.blocks[0]
    assert block.text == "3. Check the pump." and block.marking == Marking(Level.SECRET, frozenset({"USA"}))


def test_an_unmarked_document_is_refused_unless_a_marking_is_given() -> None:
    unmarked = Extracted("text", [Block(P, "No banner here.")])
    with pytest.raises(DocumentError, match="no classification marking"):
        read_markings(unmarked, None, None)
    assert read_markings(unmarked, UNCLASSIFIED, None).marking == UNCLASSIFIED


def test_a_given_marking_never_lowers_the_banner() -> None:
    doc = Extracted("text", [Block(P, "NATO RESTRICTED"), Block(P, "Text.")])
    marked = read_markings(doc, UNCLASSIFIED, None)
    assert marked.marking.level is Level.RESTRICTED and marked.warnings


def test_a_portion_that_does_not_parse_refuses_the_document_naming_the_page() -> None:
    doc = Extracted("pdf", [Block(P, "(S//REL TO ATLANTIS) Text.", page=4)])
    with pytest.raises(DocumentError, match="page 4"):
        read_markings(doc, UNCLASSIFIED, None)


def test_a_portion_above_the_banner_is_kept_higher_with_a_warning() -> None:
    doc = Extracted("text", [Block(P, "UNCLASSIFIED"), Block(P, "(S) Secret.")])
    marked = read_markings(doc, None, None)
    assert marked.warnings and "above the document's banner" in marked.warnings[0]
    out = chunk(marked.blocks, floor=marked.marking)
    assert out[0].marking.level is Level.SECRET


def test_banners_are_capitals_only() -> None:
    assert banner_of("NATO RESTRICTED", None) is not None
    assert banner_of("Secret", None) is None  # a word in a sentence, not a banner
    assert banner_of("CHECK THE PUMP", None) is None
