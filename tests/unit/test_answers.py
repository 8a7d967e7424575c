"""Answers from documents: numbered, marked sources in the prompt; citations checked (in a stream
too); the answer's marking derived from what it cites; attribution when the model cites nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from garrison.core.documents import Hit
from garrison.core.markings import GROUPS, UNCLASSIFIED, Level, Marking
from garrison.core.types import Message
from garrison.service.answers import CitationFilter, attribute, grounded_messages, grounding, relevant

SECRET = Marking(Level.SECRET, frozenset({"USA", "GBR"}))
NATO_R = Marking(Level.RESTRICTED, GROUPS["NATO"])


def hit(i: int, marking: Marking, text: str, dense: float = 0.9, page: int | None = 3) -> Hit:
    return Hit(i, f"doc{i}", "c", f"Title {i}", ("29-12 Faults",), page, marking, text, 1.0, {"dense": dense})


def test_sources_are_numbered_and_marked_in_the_system_message() -> None:
    hits = [hit(1, SECRET, "Pump worn."), hit(2, UNCLASSIFIED, "x")]
    msgs = grounded_messages([Message("system", "Be brief."), Message("user", "why?")], hits)
    assert msgs[0].role == "system" and msgs[0].content.startswith("Be brief.")
    assert "[1] (S//REL TO USA, GBR) Title 1, page 3 — 29-12 Faults\nPump worn." in msgs[0].content
    assert "[2] (U) Title 2" in msgs[0].content
    assert msgs[1:] == (Message("user", "why?"),)


def test_invalid_citations_are_dropped_and_valid_ones_kept() -> None:
    f = CitationFilter(2)
    assert f.filter("Check the filter [1]. Replace the pump [7]. Both [2, 9].") == (
        "Check the filter [1]. Replace the pump . Both [2]."
    )
    assert f.cited == [1, 2]


@given(st.text(alphabet="ab[]0123456789, .", max_size=60), st.lists(st.integers(1, 8), min_size=1, max_size=10))
def test_streamed_filtering_equals_filtering_the_whole_text(text: str, cuts: list[int]) -> None:
    whole = CitationFilter(3)
    expected = whole.filter(text)
    stream = CitationFilter(3)
    out, i = [], 0
    for n in cuts * 10:
        if i >= len(text):
            break
        out.append(stream.feed(text[i : i + n]))
        i += n
    out.append(stream.feed(text[i:]))
    out.append(stream.finish())
    assert "".join(out) == expected and stream.cited == whole.cited


def test_the_marking_is_derived_from_the_cited_sources() -> None:
    hits = [hit(1, SECRET, "a"), hit(2, NATO_R, "b"), hit(3, UNCLASSIFIED, "c")]
    g = grounding(hits, [3, 2], ["maintenance"])
    assert [c.number for c in g.citations] == [3, 2]
    assert g.marking == Marking(Level.RESTRICTED, GROUPS["NATO"])
    assert g.context_marking == Marking(Level.SECRET, frozenset({"USA", "GBR"}))
    assert grounding(hits, [], ["m"]).marking == g.context_marking  # citing nothing: everything given


def test_attribution_finds_the_source_a_sentence_comes_from() -> None:
    hits = [
        hit(1, UNCLASSIFIED, "Replace the case drain filter element P/N 62-4410."),
        hit(2, SECRET, "Spool lot HT-2291 wears."),
    ]
    assert attribute("You should replace the case drain filter element. It is quick.", hits) == [1]
    assert attribute("The weather is nice today in Brussels.", hits) == []


def test_only_passages_close_enough_are_given_to_the_model() -> None:
    hits = [hit(1, UNCLASSIFIED, "a", dense=0.85), hit(2, UNCLASSIFIED, "b", dense=0.7)]
    assert [h.chunk_id for h in relevant(hits, 0.8)] == [1]
