"""The audit log on a real SQLite file: group commit, checkpoints, proofs, and tampering caught.

Each tampering test edits the database file directly (as someone with the file could, dropping
the append-only triggers first) and checks that verification names what was done and where."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from garrison.audit import codec
from garrison.audit.log import AuditIntegrityError, AuditLog
from garrison.audit.merkle import leaf_hash, verify_consistency, verify_inclusion
from garrison.audit.note import Checkpoint, SigningKey, open_checkpoint, sign_checkpoint
from garrison.audit.tree import Edge
from garrison.audit.verify import DELETED, EDITED, FORGED, INSERTED, REORDERED, REWRITTEN, TRUNCATED, verify
from garrison.core.errors import StorageUnavailable
from garrison.core.events import AccessEvent, ModelCallEvent, RequestScope, close_scope, open_scope
from garrison.store.audit import AuditStore, Filter

KEY = SigningKey.generate("garrison.test/audit")


def event(i: int, *, actor: str = "key:k1/user:u1", allowed: bool = True, at: float = 1_800_000_000.0) -> AccessEvent:
    return AccessEvent(
        at=at + i,
        actor=actor,
        organisation="org",
        action="user.manage",
        operation="user.create",
        resource=f"user:u{i}",
        allowed=allowed,
        reasons=("role admin may user.manage",),
        details={"i": i, "name": "Édith"},
    )


def open_log(path: Path, **kw: float) -> AuditLog:
    return AuditLog(AuditStore(path), KEY, checkpoint_seconds=kw.get("every", 3600.0)).open()


def filled(path: Path, n: int = 40) -> Path:
    """A closed log of ``n`` records whose last checkpoint covers them all."""
    log = open_log(path)
    for i in range(1, n + 1):
        log.record(event(i))
    log.close()
    return path


def findings(path: Path, external: tuple[str, ...] = ()) -> list[tuple[str, int | None]]:
    with sqlite3.connect(path) as conn:
        report = verify(conn, KEY.verifier(), external)
    return [(f.kind, f.seq) for f in report.findings]


def messages(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [f.message for f in verify(conn, KEY.verifier()).findings]


def tamper(path: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    with sqlite3.connect(path) as conn:
        for name in ("records_no_update", "records_no_delete", "checkpoints_no_update", "checkpoints_no_delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        for sql, params in statements:
            conn.execute(sql, params)


def body(path: Path, seq: int) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT body FROM records WHERE seq = ?", (seq,)).fetchone()[0])


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "audit.db"


# -- what a good log looks like ------------------------------------------------------------------
def test_a_log_written_by_many_threads_verifies_with_every_record_once(db: Path) -> None:
    log = open_log(db)

    def work(t: int) -> None:
        for i in range(25):
            log.record(event(t * 100 + i))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log.close()
    assert log.appended == 200 and log.commits < 200  # requests shared commits
    with sqlite3.connect(db) as conn:
        report = verify(conn, KEY.verifier())
        seqs = [json.loads(b)["seq"] for (b,) in conn.execute("SELECT body FROM records")]
        ids = sorted(json.loads(b)["details"]["i"] for (b,) in conn.execute("SELECT body FROM records"))
    assert report.ok and report.records == 200 and report.latest == 200 and report.unsigned == 0
    assert seqs == list(range(1, 201))
    assert ids == sorted(t * 100 + i for t in range(8) for i in range(25))


def test_records_are_canonical_json_whose_hash_is_the_leaf(db: Path) -> None:
    filled(db, 3)
    first = body(db, 1)
    assert first.startswith('{"seq":1,"action":"user.manage",')
    data = json.loads(first)
    assert data["kind"] == "access" and data["details"] == {"i": 1, "name": "Édith"} and data["v"] == 1
    assert first == codec.record(1, json.dumps({k: v for k, v in data.items() if k != "seq"}, sort_keys=True,
                                               separators=(",", ":"), ensure_ascii=False))  # fmt: skip
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT leaf FROM records WHERE seq = 1").fetchone()[0] == leaf_hash(first.encode())


def test_inclusion_and_consistency_proofs_verify_against_signed_checkpoints(db: Path) -> None:
    log = open_log(db)
    sizes = []
    for n in (7, 13, 32, 45):
        while log.appended < n:
            log.record(event(log.appended + 1))
        log._checkpoint()
        sizes.append(n)
    proofs = log.proofs(list(range(1, 46)))
    cp = open_checkpoint(proofs.checkpoint, KEY.verifier())
    assert cp.size == 45 and cp.origin == KEY.name and cp.time is not None
    for seq, path in proofs.inclusion.items():
        verify_inclusion(seq - 1, cp.size, leaf_hash(proofs.records[seq].encode()), path, cp.root)
    for a in sizes:
        for b in sizes:
            if a <= b:
                first, second, proof = log.consistency(a, b)
                one, two = open_checkpoint(first, KEY.verifier()), open_checkpoint(second, KEY.verifier())
                verify_consistency(one.size, two.size, proof, one.root, two.root)
    with pytest.raises(LookupError, match="sizes: 7, 13, 32, 45"):
        log.proofs([1], size=8)
    log.close()


def test_two_processes_appending_to_one_file_make_one_consistent_log(db: Path) -> None:
    server, cli = open_log(db), open_log(db)
    for i in range(30):
        (server if i % 3 else cli).record(event(i))
        if i % 7 == 0:
            (cli if i % 2 else server)._checkpoint()
    server.close()
    cli.close()
    with sqlite3.connect(db) as conn:
        report = verify(conn, KEY.verifier())
    assert report.ok and report.records == 30 and report.latest == 30 and report.checkpoints >= 3


def test_the_product_cannot_change_or_delete_a_record(db: Path) -> None:
    filled(db, 3)
    with sqlite3.connect(db) as conn:
        for sql in ("UPDATE records SET body = 'x' WHERE seq = 1", "DELETE FROM records WHERE seq = 1",
                    "DELETE FROM checkpoints"):  # fmt: skip
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)


def test_the_filter_reads_actor_action_time_and_decision(db: Path) -> None:
    log = open_log(db)
    for i in range(10):
        log.record(event(i, actor="key:a/user:alice" if i % 2 else "key:b/user:bob", allowed=i != 4))
    log.close()
    store = AuditStore(db)
    with store.reading() as conn:
        alice = [s for s, _ in AuditStore.select(conn, Filter(actor="alice"))]
        refused = [json.loads(b)["details"]["i"] for _, b in AuditStore.select(conn, Filter(allowed=False))]
        late = [s for s, _ in AuditStore.select(conn, Filter(since=1_800_000_007.0))]
        user = list(AuditStore.select(conn, Filter(action="user.", limit=3)))
        none = list(AuditStore.select(conn, Filter(action="model.use")))
    store.close()
    assert alice == [2, 4, 6, 8, 10] and refused == [4] and late == [8, 9, 10] and len(user) == 3 and none == []


# -- group commit and durability -------------------------------------------------------------------
def test_in_a_request_scope_record_returns_at_once_and_the_edge_waits(db: Path) -> None:
    log = open_log(db)

    async def request() -> int:
        scope = RequestScope("req-1")
        token = open_scope(scope)
        try:
            log.record(event(1))
            log.record(event(2))
        finally:
            close_scope(token)
        await log.wait(scope.ticket)
        return scope.ticket

    assert asyncio.run(request()) == 2
    with sqlite3.connect(db) as conn:  # durable: another connection sees both
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 2
    log.close()


def test_a_full_disk_fails_the_requests_it_holds_and_loses_nothing_written(db: Path) -> None:
    log = open_log(db)
    for i in range(5):
        log.record(event(i))
    pages = log.store._w.execute("PRAGMA page_count").fetchone()[0]
    log.store._w.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full
    with pytest.raises(StorageUnavailable, match="could not be written"):
        log.record(dataclasses.replace(event(9), details={"blob": "x" * 200_000}))
    log.store._w.execute("PRAGMA max_page_count = 1073741823")  # space again
    log.record(event(6))
    log.close()
    with sqlite3.connect(db) as conn:
        report = verify(conn, KEY.verifier())
    assert report.ok and report.records == 6


def test_after_close_nothing_is_accepted_unrecorded(db: Path) -> None:
    log = open_log(db)
    log.close()
    with pytest.raises(StorageUnavailable, match="not open"):
        log.record(event(1))


# -- tampering, each way, named --------------------------------------------------------------------
def test_an_edited_record_is_named(db: Path) -> None:
    filled(db)
    tamper(db, ("UPDATE records SET body = replace(body, 'user:u17', 'user:zz') WHERE seq = 17", ()))
    assert findings(db)[0] == (EDITED, 17)
    assert messages(db)[0] == "record 17 was edited: its content no longer matches its leaf hash"


def test_an_edit_with_its_leaf_hash_rewritten_is_caught_by_the_tree(db: Path) -> None:
    filled(db)
    new = body(db, 17).replace("user:u17", "user:zz")
    tamper(db, ("UPDATE records SET body = ?, leaf = ? WHERE seq = 17", (new, leaf_hash(new.encode()))))
    found = findings(db)
    assert found[0] == (EDITED, 17) and (REWRITTEN, None) in found
    assert "records 17-18: one of them was edited" in messages(db)[0]


def test_a_whole_rewrite_with_every_hash_recomputed_is_caught_by_the_signature(db: Path) -> None:
    filled(db)
    with sqlite3.connect(db) as conn:
        bodies = [str(b) for (b,) in conn.execute("SELECT body FROM records ORDER BY seq")]
    bodies[16] = bodies[16].replace("user:u17", "user:zz")
    edge, statements = Edge(), []
    for seq, b in enumerate(bodies, start=1):
        leaf = leaf_hash(b.encode())
        statements.append(("UPDATE records SET body = ?, leaf = ?, nodes = ? WHERE seq = ?",
                           (b, leaf, b"".join(edge.push(leaf)), seq)))  # fmt: skip
    tamper(db, *statements)
    assert findings(db) == [(REWRITTEN, None)]
    assert "no longer match the checkpoint signed at" in messages(db)[0]
    with pytest.raises(AuditIntegrityError, match="audit verify"):
        open_log(db)  # the server refuses to extend it


def test_a_deleted_record_is_named(db: Path) -> None:
    filled(db)
    tamper(db, ("DELETE FROM records WHERE seq = 17", ()))
    assert findings(db)[0] == (DELETED, 17)
    assert messages(db)[0] == "record 17 was deleted: the stored sequence jumps from 16 to 18"


def test_a_deleted_record_with_the_rest_renumbered_is_named(db: Path) -> None:
    filled(db)
    tamper(db, ("DELETE FROM records WHERE seq = 17", ()), ("UPDATE records SET seq = seq - 1 WHERE seq > 17", ()))
    found = findings(db)
    assert found[0] == (DELETED, 17) and (TRUNCATED, 40) in found
    assert "record 17 was deleted and the records after it renumbered" in messages(db)[0]


def test_an_inserted_record_is_named(db: Path) -> None:
    filled(db)
    forged = codec.record(17, codec.encode(event(99, actor="key:x/user:mallory")))
    tamper(
        db,
        ("UPDATE records SET seq = -seq WHERE seq >= 17", ()),
        ("UPDATE records SET seq = 1 - seq WHERE seq < 0", ()),
        ("INSERT INTO records VALUES (17, ?, ?, x'')", (forged, leaf_hash(forged.encode()))),
    )
    assert findings(db)[0] == (INSERTED, 17)
    assert messages(db)[0] == "a record was inserted: positions 17 and 18 both hold a record numbered 17"
    tamper(db, ("UPDATE records SET leaf = ? WHERE seq = 17", (bytes(32),)))  # and with a wrong leaf hash
    assert messages(db)[0] == "a record was inserted at 17: the record stored after it is the real record 17"


def test_reordered_records_are_named(db: Path) -> None:
    filled(db)
    tamper(
        db,
        ("UPDATE records SET seq = 1000 WHERE seq = 12", ()),
        ("UPDATE records SET seq = 12 WHERE seq = 20", ()),
        ("UPDATE records SET seq = 20 WHERE seq = 1000", ()),
    )
    assert findings(db)[0] == (REORDERED, 12)
    assert messages(db)[0] == "records were reordered: position 12 holds record 20; record 12 is at 20"


def test_a_truncated_log_is_named(db: Path) -> None:
    filled(db)
    tamper(db, ("DELETE FROM records WHERE seq > 35", ()))
    assert findings(db) == [(TRUNCATED, 36)]
    assert "records 36-40 are gone" in messages(db)[0]


def test_truncation_with_the_checkpoints_removed_is_caught_by_a_checkpoint_the_inspector_kept(db: Path) -> None:
    filled(db)
    with sqlite3.connect(db) as conn:
        kept = str(conn.execute("SELECT note FROM checkpoints ORDER BY size DESC").fetchone()[0])
    tamper(db, ("DELETE FROM records WHERE seq > 35", ()), ("DELETE FROM checkpoints", ()))
    assert findings(db) == []  # nothing inside the file says so ...
    assert findings(db, (kept,)) == [(TRUNCATED, 36)]  # ... the inspector's copy does


def test_a_forged_checkpoint_is_named(db: Path) -> None:
    filled(db)
    other = SigningKey.generate(KEY.name)  # same name, another key: the signature cannot verify
    with sqlite3.connect(db) as conn:
        note = str(conn.execute("SELECT note FROM checkpoints ORDER BY size DESC").fetchone()[0])
    real = open_checkpoint(note, KEY.verifier())
    fake = sign_checkpoint(Checkpoint(KEY.name, real.size, bytes(32), real.time), other)
    tamper(db, ("UPDATE checkpoints SET note = ? WHERE size = ?", (fake, real.size)))
    assert findings(db)[0] == (FORGED, None)
    assert messages(db)[0].startswith(f"the checkpoint stored for size {real.size} is forged or damaged")
    edited = note.replace(base64.b64encode(real.root).decode(), base64.b64encode(bytes(32)).decode())
    tamper(db, ("UPDATE checkpoints SET note = ? WHERE size = ?", (edited, real.size)))
    assert findings(db)[0] == (FORGED, None)


def test_a_change_after_the_last_checkpoint_stops_the_server_from_starting(db: Path) -> None:
    log = open_log(db)
    for i in range(10):
        log.record(event(i))
    log._checkpoint()
    log.record(event(11))
    log.key = None  # no final checkpoint: record 11 is in the unsigned tail
    log.close()
    tamper(db, ("UPDATE records SET body = replace(body, 'user:u11', 'user:zz') WHERE seq = 11", ()))
    with pytest.raises(AuditIntegrityError, match="record 11 does not match its hash"):
        open_log(db)


def test_a_checkpoint_inconsistent_with_the_last_is_never_signed(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    log = open_log(db)
    for i in range(8):
        log.record(event(i))
    log._checkpoint()
    tamper(db, ("UPDATE records SET nodes = ? WHERE seq = 8", (bytes(96),)))  # the stored tree no longer agrees
    log.record(event(9))
    with caplog.at_level(logging.CRITICAL, logger="garrison.audit"):
        log._checkpoint()
    assert "NOT signing" in caplog.text
    with sqlite3.connect(db) as conn:
        assert [s for (s,) in conn.execute("SELECT size FROM checkpoints")] == [8]
    log.key = None
    log.close()


def test_a_model_call_event_round_trips_with_its_kind(db: Path) -> None:
    log = open_log(db)
    log.record(
        ModelCallEvent(
            at=1.5,
            actor="key:a",
            organisation="o",
            action="model.use",
            operation="chat",
            resource="model:m",
            allowed=True,
            reasons=("ok",),
            model="m",
            outcome="completed",
            prompt_tokens=3,
            sources=({"chunk": 1, "marking": "NATO RESTRICTED"},),
        )
    )
    log.close()
    data = json.loads(body(db, 1))
    assert data["kind"] == "model.call" and data["sources"] == [{"chunk": 1, "marking": "NATO RESTRICTED"}]
    assert data["prompt_tokens"] == 3 and data["request_id"] is None
