"""Collections, ingestion, search and answers through the service layer (real SQLite, FakeEngine
as chat model and embedder): markings respected end to end, nothing half-stored, and no chunk,
title, count or citation beyond a reader's access in any result or error."""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from garrison.app import Runtime, build
from garrison.audit.sinks import MemoryAuditSink
from garrison.config import Settings
from garrison.core.clock import FixedClock
from garrison.core.documents import DocumentError, Retrieval
from garrison.core.errors import GarrisonError, NotFound, PermissionDenied
from garrison.core.events import SearchEvent
from garrison.core.markings import Level
from garrison.core.types import ChatRequest, Message, Principal
from garrison.engines.fake import FakeEngine
from garrison.service.documents import DocumentService, SearchOptions
from garrison.service.identity import principal_for
from garrison.service.library import Library
from garrison.store.documents import DocumentRepository
from garrison.store.models import ModelRepository
from tests.conftest import fake_record

ROOT = Path(__file__).resolve().parents[2]


def minipdf() -> ModuleType:
    spec = importlib.util.spec_from_file_location("minipdf", ROOT / "scripts" / "minipdf.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MANUAL = b"""UNCLASSIFIED

Hydraulic manual
================

29-12 Low pressure
------------------

(U) When system pressure drops to 2,000 psi and the pump whines, check the reservoir level first.

1. Check the reservoir fluid level.
2. Check the suction line and the inlet filter P/N 62-4410.
3. Check the case drain filter.

UNCLASSIFIED
"""

BULLETIN = b"""SECRET//REL TO USA, GBR

# Bulletin SB-047: pump spool defect

(S//REL TO USA, GBR) Spool lot HT-2291 wears early: pumps with serial numbers 4100 to 4180 whine at low pressure.

(U) Inspect the pump at the next check.

SECRET//REL TO USA, GBR
"""

NATO_NOTE = b"""NATO RESTRICTED

# Spares pooling

(NR) Depots pool hydraulic pump spares: reservoir pumps and filters are shared among allied depots.

NATO RESTRICTED
"""


@dataclass
class Lib:
    rt: Runtime
    audit: MemoryAuditSink
    people: dict[str, Principal]

    @property
    def docs(self) -> DocumentService:
        return self.rt.services.documents

    @property
    def console(self) -> Principal:
        return self.rt.services.console

    def count_rows(self, table: str) -> int:
        return int(self.rt.db.query(f"SELECT count(*) FROM {table}")[0][0])


PEOPLE = {
    # id: (role, nationality, clearance)
    "us": ("analyst", "USA", "SECRET"),
    "gb": ("analyst", "GBR", "SECRET"),
    "fr": ("analyst", "FRA", "CONFIDENTIAL"),
    "it": ("analyst", "ITA", "RESTRICTED"),
    "de": ("analyst", "DEU", "UNCLASSIFIED"),
    "officer": ("security_officer", "USA", "SECRET"),
}


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Lib]:
    settings = Settings(data_dir=tmp_path / "data", embedding_model="fake-model", retrieval_min_similarity=0.0)
    audit = MemoryAuditSink()
    rt = build(
        settings,
        create=True,
        factory=lambda r: FakeEngine(r.name, context_length=r.context_length, dim=64),
        audit=audit,
        clock=FixedClock(1_790_000_000.0),
    )
    ModelRepository(rt.db).insert(fake_record())
    s = rt.services
    s.identity.ensure_operator(s.console, "operator", None)
    s.identity.create_organisation(s.console, "nmd", name="NATO Maintenance Depot", nation="NATO")
    s.identity.create_organisation(s.console, "dga-fr", name="DGA", nation="FRA")
    people = {}
    for uid, (role, nat, clr) in PEOPLE.items():
        s.identity.create_user(s.console, uid, organisation="nmd", role=role)
        s.identity.update_user(s.console, uid, {"nationality": nat, "clearance": clr})
        user, org = s.identity.member(uid)
        people[uid] = principal_for(user, org)
    s.identity.create_user(s.console, "outsider", organisation="dga-fr", role="analyst")
    s.identity.update_user(s.console, "outsider", {"nationality": "FRA", "clearance": "SECRET"})
    user, org = s.identity.member("outsider")
    people["outsider"] = principal_for(user, org)
    s.documents.create_collection(s.console, "maintenance", organisation="nmd")
    for name, data in (("manual.md", MANUAL), ("bulletin.md", BULLETIN), ("note.md", NATO_NOTE)):
        s.documents.ingest(s.console, "maintenance", name, data, organisation="nmd")
    yield Lib(rt, audit, people)
    rt.db.close()


QUESTIONS = [
    "hydraulic pressure drops to 2,000 psi and the pump whines, what do I check?",
    "spool lot HT-2291 serial numbers",
    "pump spares pooling among depots",
    "bulletin",
]
READS = {  # who may read which document title
    "us": {"Hydraulic manual", "Bulletin SB-047: pump spool defect", "Spares pooling"},
    "gb": {"Hydraulic manual", "Bulletin SB-047: pump spool defect", "Spares pooling"},
    "fr": {"Hydraulic manual", "Spares pooling"},
    "it": {"Hydraulic manual", "Spares pooling"},
    "de": {"Hydraulic manual"},
}


def test_ingestion_reads_banners_and_portions(lib: Lib) -> None:
    docs = {d.title: d for d in lib.docs.documents(lib.console, "maintenance", organisation="nmd")}
    assert str(docs["Bulletin SB-047: pump spool defect"].marking) == "SECRET//REL TO USA, GBR"
    assert str(docs["Spares pooling"].marking) == "RESTRICTED//REL TO NATO"
    assert docs["Hydraulic manual"].format == "markdown" and docs["Hydraulic manual"].chunks >= 1
    hits = lib.docs.search(lib.people["us"], ["maintenance"], "serial numbers 4100 to 4180")
    bulletin = [h for h in hits if h.title.startswith("Bulletin")]
    # the (U) portion is raised to the banner: a chunk is never below its document
    assert bulletin and all(str(h.marking) == "SECRET//REL TO USA, GBR" for h in bulletin)


@pytest.mark.parametrize("who", sorted(READS))
@pytest.mark.parametrize("question", QUESTIONS)
def test_search_returns_only_what_the_reader_may_read(lib: Lib, who: str, question: str) -> None:
    p = lib.people[who]
    hits = lib.docs.search(p, ["maintenance"], question, SearchOptions(k=20))
    assert {h.title for h in hits} <= READS[who]
    for h in hits:
        assert h.marking.readable_by(p.clearance, p.nationality or "", p.caveats)


@pytest.mark.parametrize("who", sorted(READS))
def test_listings_and_counts_show_only_readable_documents(lib: Lib, who: str) -> None:
    p = lib.people[who]
    assert {d.title for d in lib.docs.documents(p, "maintenance")} == READS[who]
    (view,) = lib.docs.collections(p)
    assert view.documents == len(READS[who])
    readable_chunks = sum(d.chunks for d in lib.docs.documents(p, "maintenance"))
    assert view.chunks == readable_chunks


def test_another_organisation_cannot_find_the_collection(lib: Lib) -> None:
    with pytest.raises(NotFound):
        lib.docs.search(lib.people["outsider"], ["maintenance"], "pump")
    assert lib.docs.collections(lib.people["outsider"]) == []


def test_a_document_beyond_access_cannot_be_deleted_and_looks_absent(lib: Lib) -> None:
    bulletin = next(d for d in lib.docs.documents(lib.people["us"], "maintenance") if d.title.startswith("Bulletin"))
    with pytest.raises(NotFound) as hidden:
        lib.docs.delete_document(lib.people["de"], "maintenance", bulletin.id)
    with pytest.raises(NotFound) as missing:
        lib.docs.delete_document(lib.people["de"], "maintenance", "doc-does-not-exist")
    assert hidden.value.message.replace(bulletin.id, "X") == missing.value.message.replace("doc-does-not-exist", "X")
    with pytest.raises(PermissionDenied):  # analysts may not delete at all
        lib.docs.delete_document(lib.people["us"], "maintenance", bulletin.id)


def test_deleting_a_document_removes_its_chunks_at_once_and_from_search(lib: Lib) -> None:
    officer = lib.people["officer"]
    bulletin = next(d for d in lib.docs.documents(officer, "maintenance") if d.title.startswith("Bulletin"))
    before = lib.count_rows("chunks")
    assert any(h.document_id == bulletin.id for h in lib.docs.search(officer, ["maintenance"], "spool HT-2291"))
    lib.docs.delete_document(officer, "maintenance", bulletin.id)
    assert lib.count_rows("chunks") == before - bulletin.chunks
    assert all(h.document_id != bulletin.id for h in lib.docs.search(officer, ["maintenance"], "spool HT-2291"))


def test_reingesting_identical_content_is_a_no_op(lib: Lib) -> None:
    before = (lib.count_rows("documents"), lib.count_rows("chunks"))
    again = lib.docs.ingest(lib.console, "maintenance", "copy-of-manual.md", MANUAL, organisation="nmd")
    assert not again.created and again.document.title == "Hydraulic manual"
    assert (lib.count_rows("documents"), lib.count_rows("chunks")) == before


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("plain.txt", b"No marking anywhere.\n", "no classification marking"),
        ("bad.md", b"TOP SECRET//REL TO ATLANTIS\n\nText.\n", "ATLANTIS"),
        ("fake.pdf", b"Hello, I am text\n", "not a PDF"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj <<>>\ntruncated", "PDF"),
        ("report.exe", b"MZ\x90\x00", "unsupported format"),
    ],
)
def test_a_bad_document_is_rejected_naming_file_and_reason_and_nothing_is_stored(
    lib: Lib, name: str, data: bytes, reason: str
) -> None:
    before = (lib.count_rows("documents"), lib.count_rows("chunks"), lib.count_rows("retrieval_log"))
    with pytest.raises(DocumentError) as err:
        lib.docs.ingest(lib.console, "maintenance", name, data, organisation="nmd")
    assert err.value.message.startswith(f"{name}: ") and reason in err.value.message
    assert (lib.count_rows("documents"), lib.count_rows("chunks"), lib.count_rows("retrieval_log")) == before


def test_an_encrypted_pdf_is_rejected(lib: Lib) -> None:
    data = minipdf().write_pdf([["UNCLASSIFIED", "Secret text"]], user_password="pw")
    with pytest.raises(DocumentError, match="encrypted PDF"):
        lib.docs.ingest(lib.console, "maintenance", "locked.pdf", data, organisation="nmd")


def test_a_pdf_keeps_its_page_numbers(lib: Lib) -> None:
    pages = [
        ["UNCLASSIFIED", "# Intro", "(U) Nothing here."],
        ["UNCLASSIFIED", "# Pump whine", "(U) Check the case drain filter."],
    ]
    data = minipdf().write_pdf(pages, title="Pump manual")
    result = lib.docs.ingest(lib.console, "maintenance", "pump.pdf", data, organisation="nmd")
    assert result.created and result.document.pages == 2
    hits = lib.docs.search(lib.people["de"], ["maintenance"], "case drain filter whine", SearchOptions(k=10))
    page = next(h.page for h in hits if h.document_id == result.document.id and "case drain" in h.text)
    assert page == 2


def test_nobody_ingests_above_their_clearance(lib: Lib) -> None:
    before = lib.count_rows("documents")
    with pytest.raises(PermissionDenied, match="clearance"):
        lib.docs.ingest(lib.people["it"], "maintenance", "b2.md", BULLETIN.replace(b"4180", b"4190"))
    assert lib.count_rows("documents") == before


def test_a_change_made_by_another_process_is_searchable_at_once(lib: Lib) -> None:
    p = lib.people["de"]
    assert lib.docs.search(p, ["maintenance"], "tyre pressure nitrogen", SearchOptions(k=20))  # index built
    # a second process (the CLI): its own library and service on the same database file
    other = Library(DocumentRepository(lib.rt.db), lib.docs.library._embedder)
    cli = DocumentService(DocumentRepository(lib.rt.db), other, lib.docs._authz, FixedClock(), _Ids())
    tyres = b"UNCLASSIFIED\n\nTyre pressure nitrogen.\n"
    added = cli.ingest(lib.console, "maintenance", "tyres.md", tyres, organisation="nmd")
    hits = lib.docs.search(p, ["maintenance"], "tyre pressure nitrogen", SearchOptions(k=20))
    assert hits[0].document_id == added.document.id
    cli.delete_document(lib.console, "maintenance", added.document.id, organisation="nmd")
    hits = lib.docs.search(p, ["maintenance"], "tyre pressure nitrogen", SearchOptions(k=20))
    assert all(h.document_id != added.document.id for h in hits)


class _Ids:
    n = 0

    def new(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}-other-{self.n}"


def test_every_search_is_audited_with_the_markings_returned(lib: Lib) -> None:
    lib.audit.events.clear()
    hits = lib.docs.search(lib.people["us"], ["maintenance"], "spool HT-2291")
    events = [e for e in lib.audit.events if e.operation == "document.search"]
    assert len(events) == 1  # one event for the whole search
    event = events[0]
    assert isinstance(event, SearchEvent)
    assert event.chunks == tuple(h.chunk_id for h in hits)
    assert "SECRET//REL TO USA, GBR" in event.markings
    assert event.query_sha256 == hashlib.sha256(b"spool HT-2291").hexdigest()
    assert "HT-2291" not in str(event)  # the query itself is kept as a digest only


# -- answers -------------------------------------------------------------------------------------
def ask(lib: Lib, who: str, question: str) -> ChatRequest:
    return ChatRequest("fake-model", (Message("user", question),), retrieval=Retrieval(("maintenance",), 5))


async def test_an_answer_cites_sources_drops_invented_ones_and_is_marked_from_them(lib: Lib) -> None:
    # the fake engine echoes the question: the citations in it are what "the model" wrote
    result = await lib.rt.gateway.chat(lib.people["us"], ask(lib, "us", "spool HT-2291 serial numbers [1] and [9]"))
    assert "[1]" in result.text and "[9]" not in result.text
    g = result.grounding
    assert g is not None and [c.number for c in g.citations] == [1]
    assert g.marking == g.citations[0].marking
    assert g.context_marking is not None and g.marking is not None and g.context_marking.dominates(g.marking)


async def test_with_nothing_readable_and_relevant_the_model_is_not_called(lib: Lib, tmp_path: Path) -> None:
    lib.rt.gateway.min_similarity = 0.99
    result = await lib.rt.gateway.chat(lib.people["de"], ask(lib, "de", "spool HT-2291 serial numbers"))
    assert result.text.startswith("None of the documents you may read") and result.usage.total_tokens == 0
    assert result.grounding is not None and result.grounding.citations == () and result.grounding.marking is None


@pytest.mark.parametrize("who", sorted(READS))
async def test_answers_and_streams_never_carry_what_the_reader_may_not_read(lib: Lib, who: str) -> None:
    p = lib.people[who]
    for question in QUESTIONS:
        request = ask(lib, who, question + " [1] [2] [3] [4] [5]")
        result = await lib.rt.gateway.chat(p, request)
        assert result.grounding is not None
        for c in result.grounding.citations:
            assert c.title in READS[who] and c.marking.readable_by(p.clearance, p.nationality or "", p.caveats)
        if result.grounding.context_marking is not None:
            m = result.grounding.context_marking
            assert m.readable_by(p.clearance, p.nationality or "", p.caveats)
        assert "HT-2291" not in result.text or who in ("us", "gb") or "HT-2291" in question
        deltas = [d async for d in lib.rt.gateway.prepare_chat_stream(p, request)]
        assert deltas[-1].grounding == result.grounding
        assert "".join(d.text for d in deltas) == result.text


def test_search_errors_are_clear(lib: Lib) -> None:
    with pytest.raises(NotFound, match="no collection 'nope'"):
        lib.docs.search(lib.people["us"], ["nope"], "pump")
    with pytest.raises(GarrisonError, match="empty"):
        lib.docs.search(lib.people["us"], ["maintenance"], "  ")
    assert lib.people["de"].clearance is Level.UNCLASSIFIED


@pytest.mark.parametrize("who", sorted(READS))
def test_reranked_search_stays_within_access(lib: Lib, who: str) -> None:
    p = lib.people[who]
    plain = lib.docs.search(p, ["maintenance"], "pump spool pressure", SearchOptions(k=3))
    reranked = lib.docs.search(p, ["maintenance"], "pump spool pressure", SearchOptions(k=3, rerank=True))
    assert len(reranked) == len(plain) and {h.title for h in reranked} <= READS[who]


def test_a_collection_with_documents_beyond_access_cannot_be_deleted_and_the_refusal_says_nothing_of_them(
    lib: Lib,
) -> None:
    s = lib.rt.services
    s.identity.create_user(s.console, "fr-officer", organisation="nmd", role="security_officer")
    s.identity.update_user(s.console, "fr-officer", {"nationality": "FRA", "clearance": "CONFIDENTIAL"})
    user, org = s.identity.member("fr-officer")
    with pytest.raises(PermissionDenied) as refused:
        lib.docs.delete_collection(principal_for(user, org), "maintenance")
    assert "SECRET" not in refused.value.message and "Bulletin" not in refused.value.message
    assert lib.count_rows("documents") == 3
    assert lib.docs.delete_collection(lib.people["officer"], "maintenance") == 3
    assert lib.count_rows("chunks") == 0 and lib.count_rows("documents") == 0


def test_a_background_job_that_fails_says_why_and_stores_nothing(lib: Lib) -> None:
    import time

    queue = lib.rt.services.ingestion
    p = lib.people["officer"]
    doc = b"UNCLASSIFIED\n\nTwo uploads of the same new content.\n"
    first = lib.docs.prepare(p, "maintenance", "a.md", doc)
    second = lib.docs.prepare(p, "maintenance", "b.md", doc)  # prepared before the first is stored
    jobs = [queue.submit(p, "maintenance", first), queue.submit(p, "maintenance", second)]
    deadline = time.monotonic() + 10
    while any(j.finished_at is None for j in jobs):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert [j.state for j in jobs] == ["succeeded", "failed"]
    assert jobs[1].error_code == "conflict" and "already in this collection" in (jobs[1].error or "")
    assert sum(d.sha256 == jobs[0].document.sha256 for d in lib.docs.documents(p, "maintenance")) == 1  # type: ignore[union-attr]
