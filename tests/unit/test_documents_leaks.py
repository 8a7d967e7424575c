"""Property-based leak tests through the service layer: random documents under random markings,
random readers; whatever the reader does (list, count, search, ask, stream), nothing beyond their
access appears, and what they get equals what they would get if the unreadable documents did not
exist at all."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from garrison.core.documents import Retrieval
from garrison.core.markings import Level, Marking
from garrison.core.types import ChatRequest, Message, Principal
from garrison.service.documents import SearchOptions
from garrison.service.identity import principal_for
from tests.unit.test_documents import Lib, lib  # noqa: F401 (the fixture)

NATIONS = ["USA", "GBR", "FRA", "ITA", "DEU"]
WORDS = ["pump", "valve", "pressure", "filter", "reservoir", "seal", "brake", "leak", "whine", "spool", "HT-2291"]
counter = itertools.count()

markings = st.builds(
    Marking,
    st.sampled_from(list(Level)),
    st.one_of(st.none(), st.frozensets(st.sampled_from(NATIONS), min_size=1, max_size=3)),
    st.just(frozenset()),
)
documents = st.lists(
    st.tuples(markings, st.lists(st.sampled_from(WORDS), min_size=3, max_size=12)), min_size=1, max_size=6
)
readers = st.tuples(st.sampled_from(list(Level)), st.sampled_from(NATIONS))


def make_reader(lib: Lib, clearance: Level, nationality: str) -> Principal:  # noqa: F811
    s = lib.rt.services
    uid = f"reader-{next(counter)}"
    s.identity.create_user(s.console, uid, organisation="nmd", role="analyst")
    s.identity.update_user(s.console, uid, {"clearance": clearance.label, "nationality": nationality})
    user, org = s.identity.member(uid)
    return principal_for(user, org)


def ingest(lib: Lib, collection: str, docs: list[tuple[int, Marking, list[str]]]) -> None:  # noqa: F811
    s = lib.rt.services
    s.documents.create_collection(s.console, collection, organisation="nmd")
    for i, marking, words in docs:
        body = f"{marking.banner()}\n\n# Document {i}\n\n{' '.join(words)} number {i}.\n"
        s.documents.ingest(s.console, collection, f"d{i}.md", body.encode(), organisation="nmd")


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking rebuilds collections: too slow
)
@given(documents, readers, st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
async def test_a_reader_gets_exactly_what_the_readable_documents_alone_would_give(
    lib: Lib,  # noqa: F811
    docs: list[tuple[Marking, list[str]]],
    who: tuple[Level, str],
    query: list[str],
) -> None:
    p = make_reader(lib, *who)
    can_read = [m.readable_by(p.clearance, p.nationality or "", p.caveats) for m, _ in docs]
    everything, readable_only = f"all-{next(counter)}", f"own-{next(counter)}"
    numbered = [(i, m, words) for i, (m, words) in enumerate(docs)]
    ingest(lib, everything, numbered)
    ingest(lib, readable_only, [d for d, ok in zip(numbered, can_read, strict=True) if ok])

    listed = lib.docs.documents(p, everything)
    assert sorted(d.title for d in listed) == sorted(f"Document {i}" for i, ok in enumerate(can_read) if ok)
    view = next(v for v in lib.docs.collections(p) if v.collection.name == everything)
    assert view.documents == sum(can_read)

    question = " ".join(query)
    options = SearchOptions(k=20)
    a = lib.docs.search(p, [everything], question, options)
    b = lib.docs.search(p, [readable_only], question, options)
    assert [(h.title, h.text, round(h.score, 6)) for h in a] == [(h.title, h.text, round(h.score, 6)) for h in b]
    assert all(h.marking.readable_by(p.clearance, p.nationality or "", p.caveats) for h in a)

    ask = ChatRequest("fake-model", (Message("user", question + " [1] [2] [3]"),), retrieval=Retrieval((everything,)))
    answer = await lib.rt.gateway.chat(p, ask)
    alone = await lib.rt.gateway.chat(p, ChatRequest("fake-model", ask.messages, retrieval=Retrieval((readable_only,))))
    assert answer.text.replace(everything, "C") == alone.text.replace(readable_only, "C")
    assert answer.grounding is not None and alone.grounding is not None
    assert answer.grounding.marking == alone.grounding.marking
    assert [c.title for c in answer.grounding.citations] == [c.title for c in alone.grounding.citations]
    streamed = [d async for d in lib.rt.gateway.prepare_chat_stream(p, ask)]
    assert "".join(d.text for d in streamed) == answer.text and streamed[-1].grounding == answer.grounding
