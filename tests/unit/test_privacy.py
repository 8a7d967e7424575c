"""Pseudonymisation, the vault, re-identification in a stream, redaction of logs and audit records."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest

from garrison.app import Runtime, redact_logs, vault_key
from garrison.config import Settings
from garrison.core.clock import FixedClock
from garrison.core.errors import ConfigurationError, InvalidRequest, NotFound
from garrison.core.events import AccessEvent
from garrison.core.privacy import Operator, PrivacyPolicy, Span
from garrison.core.types import Principal
from garrison.privacy import detector as detector_module
from garrison.privacy.detector import Detection, Detector, PatternScanner, Wanted, load_pipeline
from garrison.privacy.operators import Anonymizer, Pseudonyms, Restorer, reidentify
from garrison.privacy.vault import Vault, ensure_vault_key, load_vault_key
from garrison.service.privacy import Redactor, _policy
from garrison.store.db import Database
from garrison.store.privacy import PrivacyRepository


def spans_of(text: str, *pairs: tuple[str, str]) -> list[Span]:
    return [Span(text.index(v), text.index(v) + len(v), e, 0.9) for e, v in pairs]


def test_placeholders_are_consistent_and_reversible() -> None:
    text = "Mario Rossi paid IT60X0542811101000000123456; later Rossi called Anna Bianchi."
    spans = spans_of(text, ("PERSON", "Mario Rossi"), ("IBAN_CODE", "IT60X0542811101000000123456"))
    table = Pseudonyms()
    spans = table.known(text, spans)  # "Rossi" alone is the same person
    spans.append(Span(text.index("Anna"), text.index("Anna") + len("Anna Bianchi"), "PERSON", 0.9))
    out, made = Anonymizer().apply(text, spans, Operator.PSEUDONYMIZE, pseudonyms=table)
    assert out == "<PERSON_1> paid <IBAN_CODE_1>; later <PERSON_1> called <PERSON_2>."
    assert [m.text for m in made] == ["<PERSON_1>", "<IBAN_CODE_1>", "<PERSON_1>", "<PERSON_2>"]
    back, count = reidentify(out, table)
    assert count == 4 and back == "Mario Rossi paid IT60X0542811101000000123456; later Mario Rossi called Anna Bianchi."
    # the same IBAN written another way is the same value
    assert table.placeholder("IBAN_CODE", "IT60 X054 2811 1010 0000 0123 456") == "<IBAN_CODE_1>"
    # a model's variations of a placeholder are restored; unknown ones are left alone
    restored = reidentify("< person_2 > and PERSON_1 and <PERSON_9>", table)[0]
    assert restored == "Anna Bianchi and Mario Rossi and <PERSON_9>"


def test_the_restorer_holds_a_placeholder_cut_between_pieces() -> None:
    table = Pseudonyms.of({"<PERSON_1>": "Jürgen Vogel", "<IBAN_CODE_1>": "DE89370400440532013000"})
    pieces = ["Contact <PER", "SON_", "1> about <IBAN", "_CODE_1", "> today <", "3 is less"]
    r = Restorer(table)
    out = "".join(r.feed(p) for p in pieces) + r.finish()
    assert out == "Contact Jürgen Vogel about DE89370400440532013000 today <3 is less"
    assert r.restored == 2


def test_mask_redact_and_hash() -> None:
    text = "Card 4111 1111 1111 1111 of Anna."
    spans = spans_of(text, ("CREDIT_CARD", "4111 1111 1111 1111"), ("PERSON", "Anna"))
    a = Anonymizer()
    assert a.apply(text, spans, Operator.MASK)[0] == "Card **** **** **** 1111 of Anna."
    assert a.apply(text, spans, Operator.REDACT)[0] == "Card <CREDIT_CARD> of <PERSON>."
    one = a.apply(text, spans, Operator.HASH, key=b"k" * 32)[0]
    other = a.apply(text, spans, Operator.HASH, key=b"j" * 32)[0]
    assert one.startswith("Card <CREDIT_CARD:") and one != other  # keyed per organisation
    with pytest.raises(ValueError):
        a.apply(text, spans, Operator.HASH)


def test_the_vault_encrypts_per_organisation_and_refuses_swaps(tmp_path: Path) -> None:
    db = Database(tmp_path / "g.db")
    db.migrate()
    repo = PrivacyRepository(db)
    clock = FixedClock(1_700_000_000.0)
    vault = Vault(repo, ensure_vault_key(tmp_path), clock)
    table = Pseudonyms.of({"<PERSON_1>": "Giulia Ferraresi"})
    vault.save("mod-it", "ps_a", table, "key:x user:ana")
    vault.save("dga-fr", "ps_b", Pseudonyms.of({"<PERSON_1>": "Jean Dupont"}), "key:y user:remi")
    assert vault.load("mod-it", "ps_a").values == table.values
    with pytest.raises(NotFound):
        vault.load("dga-fr", "ps_a")  # another organisation's table does not exist for them
    raw = db.query("SELECT ciphertext FROM privacy_vault")
    assert all(b"Giulia" not in r[0] and b"Dupont" not in r[0] for r in raw)
    # a row moved to another id does not decrypt (the id is in the associated data)
    with db.transaction() as conn:
        conn.execute("UPDATE privacy_vault SET id = 'ps_c' WHERE id = 'ps_a'")
    with pytest.raises(ConfigurationError, match="altered"):
        vault.load("mod-it", "ps_c")
    # the wrong vault key cannot open the organisations' keys
    other = Vault(repo, b"\x01" * 32, FixedClock(1_700_000_000.0))
    with pytest.raises(ConfigurationError, match="not the key"):
        other.load("dga-fr", "ps_b")
    clock.advance(86400)
    assert vault.purge(3600) == 2  # unused for a day: older than an hour, gone
    db.close()


def test_the_vault_key_is_never_remade_over_sealed_keys(tmp_path: Path) -> None:
    db = Database(tmp_path / "g.db")
    db.migrate()
    repo = PrivacyRepository(db)
    key = vault_key(tmp_path, repo)
    Vault(repo, key, FixedClock(0.0)).data_key("mod-it")
    (tmp_path / "vault.key").chmod(0o644)
    with pytest.raises(ConfigurationError, match="readable by others"):
        load_vault_key(tmp_path / "vault.key")
    (tmp_path / "vault.key").unlink()
    with pytest.raises(ConfigurationError, match="restore it from a backup"):
        vault_key(tmp_path, repo)
    db.close()


def test_redaction_of_audit_events_and_log_records(caplog: pytest.LogCaptureFixture) -> None:
    redactor = Redactor(PatternScanner("en"))
    event = AccessEvent(
        at=0.0,
        actor="key:abc user:ana",
        organisation="mod-it",
        action="document.ingest",
        operation="document.ingest",
        resource="document:*",
        allowed=False,
        reasons=("file names mario.rossi@difesa.it and IT60X0542811101000000123456",),
        details={"filename": "IT60X0542811101000000123456.pdf", "pages": 3},
    )
    clean = redactor.event(event)
    assert clean.reasons == ("file names <EMAIL_ADDRESS> and <IBAN_CODE>",)
    assert isinstance(clean, AccessEvent) and clean.actor == event.actor
    assert clean.details == {"filename": "<IBAN_CODE>.pdf", "pages": 3}
    previous = redact_logs(redactor)
    try:
        with caplog.at_level(logging.INFO, logger="garrison.test"):
            logging.getLogger("garrison.test").info("card %s declined for %s", "4111 1111 1111 1111", "x@y.org")
        assert caplog.records[-1].getMessage() == "card <CREDIT_CARD> declined for <EMAIL_ADDRESS>"
    finally:
        logging.setLogRecordFactory(previous)  # the rest of the suite logs as before


def test_policy_changes_are_validated() -> None:
    base = PrivacyPolicy()
    assert _policy({"prompts": False, "entities": "PERSON, IBAN_CODE"}, base).entities == {"PERSON", "IBAN_CODE"}
    for bad in ({"prompts": "yes"}, {"threshold": 2}, {"entities": ["SHOE"]}, {"reidentify_roles": ["pope"]}, {"x": 1}):
        with pytest.raises(InvalidRequest):
            _policy(bad, base)


def test_a_missing_language_model_is_a_start_up_error_that_names_its_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(detector_module.PIPELINES, "fr", ("fr_core_news_absent", "fr-core-news-absent==3.8.0"))
    with pytest.raises(ConfigurationError, match=r"fr-core-news-absent==3\.8\.0"):
        load_pipeline("fr")
    with pytest.raises(ConfigurationError, match="no privacy pipeline"):
        Detector(("en", "xx"))


def test_language_detection_chooses_the_pipeline_per_paragraph() -> None:
    d = Detector(("en", "de"), default_language="en")
    text = (
        "The maintenance report was filed by the depot in the morning.\n\n"
        "Herr Jürgen Vogel hat die Wartung der Hydraulikpumpe am Montag abgeschlossen."
    )
    found = d.detect(text)
    assert set(found.languages) == {"en", "de"}
    assert ("PERSON", "Jürgen Vogel") in {(s.entity, text[s.start : s.end]) for s in found.spans}


def test_a_batch_finds_exactly_what_one_text_at_a_time_finds() -> None:
    """detect_many (spaCy over the batch's blocks at once) against detect, over the first 240
    texts of the dev set (four languages), with per-text entities and thresholds."""
    d = Detector(cache_size=0)  # every call detects
    lines = (Path(__file__).parents[1] / "data" / "privacy" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines[:240]]
    texts.append(
        "The maintenance report was filed by the depot in the morning.\n\n"
        "Herr Jürgen Vogel hat die Wartung der Hydraulikpumpe am Montag abgeschlossen."
    )
    variants = [(None, 0.5), (("PERSON", "LOCATION"), 0.5), (None, 0.9)]
    items = [Wanted(t, None, *variants[i % 3]) for i, t in enumerate(texts)]
    one_by_one = [d.detect(w.text, entities=w.entities, threshold=w.threshold) for w in items]
    batched = [found for start in range(0, len(items), 8) for found in d.detect_many(items[start : start + 8])]
    assert batched == one_by_one
    assert sum(len(found.spans) for found in batched) > 200 and {"en", "de"} <= set(batched[-1].languages)
    with pytest.raises(ConfigurationError, match="is not one of"):
        d.detect_many([Wanted("x"), Wanted("y", "xx")])


def test_a_conversation_resent_with_every_turn_is_detected_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """What was detected in a user's message is kept (a keyed hash of the message, its owner and
    what was asked, never the text): the next turn detects only its new message, same spans."""
    d = Detector(cache_size=3)
    detected: list[str] = []
    run = d._detect

    def counting(items: Sequence[Wanted]) -> list[Detection]:
        detected.extend(item.text for item in items)
        return run(items)

    monkeypatch.setattr(d, "_detect", counting)
    alice = "mod-uk\x00alice"
    turn1 = ["Mario Rossi reported a leak on pump 3.", "Mario Rossi reported a leak on pump 3."]
    first = d.detect_many([Wanted(t, owner=alice) for t in turn1])
    assert detected == turn1[:1]  # the same text twice in a batch: detected once
    turn2 = [*turn1[:1], "Who was on shift with Jean Dupont in Lyon?"]
    second = d.detect_many([Wanted(t, owner=alice) for t in turn2])
    assert detected == [turn1[0], turn2[1]] and second[0] == first[0]
    assert second == Detector(cache_size=0).detect_many([Wanted(t, owner=alice) for t in turn2])  # as afresh
    assert {"PERSON"} <= {s.entity for s in second[0].spans}
    # what was asked is part of the key: other entities, threshold or language detect again
    d.detect_many([Wanted(turn1[0], None, ("LOCATION",), owner=alice), Wanted(turn1[0], None, None, 0.9, alice)])
    d.detect_many([Wanted(turn1[0], "en", owner=alice)])
    assert detected[2:] == [turn1[0]] * 3
    # nor is a detection shared between owners (a quicker answer must not tell who sent what), and
    # a text without an owner (a document, a one-off API call) is never kept
    d.detect_many([Wanted(turn1[0], "en", owner="mod-uk\x00bob")])
    d.detect_many([Wanted(turn1[0], "en"), Wanted(turn1[0], "en")])
    assert detected[2:] == [turn1[0]] * 6
    # at most cache_size entries, least recently used out; keys are digests, never the text
    assert len(d._cache) == 3 and all(isinstance(k, bytes) and len(k) == 32 for k in d._cache)
    assert not any(b"Rossi" in k for k in d._cache)
    count = len(detected)
    d.detect_many([Wanted(turn1[0], "en", owner="mod-uk\x00bob")])  # the latest entry: still there
    assert len(detected) == count
    d.detect_many([Wanted(turn2[1], owner=alice)])  # pushed out by the three after it: detected again
    assert detected[count:] == [turn2[1]]


def test_the_pipelines_run_only_what_the_entity_recogniser_needs() -> None:
    """The small pipelines' recogniser embeds on its own: the shared tok2vec (the tagger's and the
    parser's) is removed with them, and the names are still found."""
    en, fr = load_pipeline("en"), load_pipeline("fr")
    assert en.pipe_names == ["sentencizer", "ner"] and fr.pipe_names == ["sentencizer", "ner"]
    assert [(e.text, e.label_) for e in en("Mario Rossi flew to Paris on Monday.").ents][:2] == [
        ("Mario Rossi", "PERSON"),
        ("Paris", "GPE"),
    ]
    assert ("Lyon", "LOC") in {(e.text, e.label_) for e in fr("Jean Dupont habite à Lyon.").ents}


def test_the_vault_table_survives_sqlite_reopen(tmp_path: Path) -> None:
    db = Database(tmp_path / "g.db")
    db.migrate()
    vault = Vault(PrivacyRepository(db), ensure_vault_key(tmp_path), FixedClock(5.0))
    vault.save("mod-it", "ps_x", Pseudonyms.of({"<EMAIL_ADDRESS_1>": "a@b.it"}), "console")
    db.close()
    assert sqlite3.connect(tmp_path / "g.db").execute("SELECT count(*) FROM privacy_vault").fetchone()[0] == 1
    db = Database(tmp_path / "g.db")
    again = Vault(PrivacyRepository(db), load_vault_key(tmp_path / "vault.key"), FixedClock(6.0))
    assert again.load("mod-it", "ps_x").values == {"<EMAIL_ADDRESS_1>": "a@b.it"}
    db.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The conftest's runtime, with the fake model as the embedder (documents need one)."""
    return Settings(data_dir=tmp_path / "data", embedding_model="fake-model")


async def test_documents_are_pseudonymised_at_ingestion_when_the_policy_asks(client: httpx.AsyncClient) -> None:
    assert (await client.post("/v1/collections", json={"name": "fiu"})).status_code == 201
    text = (
        b"UNCLASSIFIED\n\n# Report\n\n"
        b"Mario Rossi moved 9,000 EUR from IT60 X054 2811 1010 0000 0123 456 to a shell company.\n"
    )
    plain = await client.post("/v1/collections/fiu/documents", files={"file": ("plain.md", text)})
    assert plain.status_code == 201, plain.text
    assert (await client.patch("/v1/privacy/policy", json={"documents": True})).json()["documents"] is True
    doc = await client.post("/v1/collections/fiu/documents", files={"file": ("report.md", text + b"\nAgain.\n")})
    assert doc.status_code == 201
    hits = (await client.post("/v1/collections/fiu/search", json={"query": "shell company transfer"})).json()["data"]
    texts = {h["document_id"]: h["text"] for h in hits}
    stored = texts[doc.json()["id"]]
    assert "<PERSON_1>" in stored and "<IBAN_CODE_1>" in stored and "Rossi" not in stored
    assert "Mario Rossi" in texts[plain.json()["id"]]  # ingested before the policy changed
    back = await client.post("/v1/privacy/reidentify", json={"text": stored, "pseudonyms": f"ps_{doc.json()['id']}"})
    assert back.status_code == 200 and "Mario Rossi" in back.json()["text"]


def test_a_users_detections_are_reused_for_that_user_only(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same text from the same person is detected once; from anyone else, afresh: a quicker
    answer from the cache must not tell one user what another sent."""
    service = runtime.services.privacy
    detected: list[str] = []
    run = service.detector._detect

    def counting(items: Sequence[Wanted]) -> list[Detection]:
        detected.extend(item.text for item in items)
        return run(items)

    monkeypatch.setattr(service.detector, "_detect", counting)
    alice = Principal("alice", "Alice", "user", organisation="mod-uk")
    bob = Principal("bob", "Bob", "user", organisation="mod-uk")
    alice_abroad = Principal("alice", "Alice", "user", organisation="mod-it")
    text = "Mario Rossi reported a leak on pump 3."
    first, _ = service.shield(alice, [text])
    again, _ = service.shield(alice, [text, "And the filter?"])
    assert detected == [text, "And the filter?"] and first[0] == again[0] and "Rossi" not in first[0]
    service.shield(bob, [text])
    service.shield(alice_abroad, [text])
    assert detected == [text, "And the filter?", text, text]


def test_the_cache_size_comes_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    import garrison.app as app_module

    made: list[dict[str, object]] = []

    class Recording:
        def __init__(self, languages: tuple[str, ...], **kwargs: object) -> None:
            made.append({"languages": languages, **kwargs})

    monkeypatch.setattr(app_module, "Detector", Recording)
    monkeypatch.setattr(app_module, "_DETECTORS", {})
    monkeypatch.setenv("GARRISON_PRIVACY_CACHE", "0")
    settings = Settings()
    off = app_module.shared_detector(("en",), "en", settings.privacy_cache)
    assert app_module.shared_detector(("en",), "en", 0) is off  # one per process and configuration
    app_module.shared_detector(("en",), "en")
    assert made == [
        {"languages": ("en",), "default_language": "en", "cache_size": 0},
        {"languages": ("en",), "default_language": "en", "cache_size": 4096},
    ]
