"""Verification of a whole audit log: every record, every tree hash, every checkpoint.

One pass over the records in stored order recomputes each leaf from the record's bytes, rebuilds
the tree and compares it with the hashes stored beside the records and with the root of every
signed checkpoint (the log's own, and any an inspector kept). The first problem is named (edited,
deleted, inserted, reordered, truncated, forged checkpoint) with where it is; the records after a
break in the sequence are still hashed, so that every checkpoint they break is reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

from garrison.audit import codec
from garrison.audit.note import Checkpoint, NoteError, VerifierKey, open_checkpoint
from garrison.audit.tree import Edge
from garrison.store.audit import AuditStore

EDITED, DELETED, INSERTED, REORDERED, TRUNCATED, FORGED, REWRITTEN = (
    "edited", "deleted", "inserted", "reordered", "truncated", "forged_checkpoint", "rewritten"
)  # fmt: skip
_SEQ = re.compile(r'\{"seq":(\d+),')


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # one of the constants above
    seq: int | None  # the first record concerned
    message: str


@dataclass(slots=True)
class Report:
    records: int = 0
    checkpoints: int = 0  # signed checkpoints checked (stored and given)
    latest: int = 0  # size of the latest valid checkpoint
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def unsigned(self) -> int:
        """Records after the latest checkpoint: nothing signed vouches for them yet."""
        return max(0, self.records - self.latest)


def verify(
    conn: sqlite3.Connection, verifier: VerifierKey, external: Sequence[str] = (), *, stop: int | None = None
) -> Report:
    """Check the log behind ``conn``; ``external`` are signed checkpoints kept outside it."""
    report = Report()
    roots = _checkpoints(conn, verifier, external, report)
    edge = Edge()
    expected = 1
    broken = rewritten = False
    push, sha256 = edge.push, hashlib.sha256
    for seq, body, leaf, nodes in conn.execute("SELECT seq, body, leaf, nodes FROM records ORDER BY seq"):
        computed = sha256(b"\x00" + body.encode()).digest()
        done = push(computed)
        report.records += 1
        if not broken:
            problem = None
            if seq != expected or not body.startswith(f'{{"seq":{seq},'):
                problem = _misplaced(conn, expected, seq, body)
            elif computed != leaf:
                problem = _changed(conn, seq, f"record {seq} was edited: its content no longer matches its leaf hash")
            elif b"".join(done) != nodes:
                level = next((i + 1 for i, h in enumerate(done) if nodes[i * 32 : i * 32 + 32] != h), len(done) + 1)
                first = max(1, seq - (1 << level) + 1)
                problem = _changed(
                    conn,
                    seq,
                    f"records {first}-{seq}: one of them was edited and its leaf hash rewritten to match; the tree "
                    f"hash stored with record {seq} for them no longer agrees",
                    first=first,
                )
            if problem is not None:
                report.findings.append(problem)
                broken = True
        expected = seq + 1
        signed = roots.get(edge.size)
        if signed is not None and not rewritten and edge.root() != signed[0]:
            rewritten = True
            report.findings.append(
                Finding(
                    REWRITTEN,
                    None,
                    f"the records no longer match the {signed[1]} of size {edge.size}: a record at or before "
                    f"{edge.size} was changed after it was signed",
                )
            )
        if stop is not None and report.records >= stop:
            break
    for size, (_, what) in sorted(roots.items()):
        if size > report.records:
            report.findings.append(
                Finding(
                    TRUNCATED,
                    report.records + 1,
                    f"the log was truncated: it ends at record {report.records} but the {what} covers {size} "
                    f"records; records {report.records + 1}-{size} are gone",
                )
            )
            break
    return report


def _checkpoints(
    conn: sqlite3.Connection, verifier: VerifierKey, external: Sequence[str], report: Report
) -> dict[int, tuple[bytes, str]]:
    """size -> (root, description) of every checkpoint whose signature holds."""
    roots: dict[int, tuple[bytes, str]] = {}
    given = [(None, note, "checkpoint you gave") for note in external]
    stored = [(c, c.note, "checkpoint signed") for c in AuditStore.checkpoints(conn)]
    for row, note, what in [*stored, *given]:
        try:
            cp: Checkpoint = open_checkpoint(note, verifier)
        except NoteError as exc:
            where = f"the checkpoint stored for size {row.size}" if row is not None else "a checkpoint you gave"
            report.findings.append(Finding(FORGED, None, f"{where} is forged or damaged: {exc}"))
            continue
        if row is not None and cp.size != row.size:
            report.findings.append(
                Finding(FORGED, None, f"the checkpoint stored for size {row.size} is signed for size {cp.size}")
            )
            continue
        desc = f"{what} at {_when(cp.time)}"
        if cp.size in roots and roots[cp.size][0] != cp.root:
            report.findings.append(
                Finding(FORGED, None, f"two validly signed checkpoints of size {cp.size} disagree: the log was forked")
            )
        roots.setdefault(cp.size, (cp.root, desc))
        report.checkpoints += 1
        report.latest = max(report.latest, cp.size)
    return roots


def _misplaced(conn: sqlite3.Connection, expected: int, seq: int, body: str) -> Finding:
    """A record not where the sequence says it should be: deleted, inserted or reordered."""
    if seq != expected:
        return Finding(
            DELETED,
            expected,
            f"record {expected} was deleted: the stored sequence jumps from {expected - 1} to {seq}"
            if seq == expected + 1
            else f"records {expected}-{seq - 1} were deleted: the stored sequence jumps from {expected - 1} to {seq}",
        )
    m = _SEQ.match(body)
    says = int(m.group(1)) if m else None
    if says is None:
        return Finding(INSERTED, seq, f"record {seq} was inserted: it is not a record this log wrote")
    if says < expected:
        return Finding(
            INSERTED, says, f"a record was inserted: positions {says} and {seq} both hold a record numbered {says}"
        )
    elsewhere = _stored_as(conn, expected)
    if elsewhere is not None:
        return Finding(
            REORDERED,
            seq,
            f"records were reordered: position {seq} holds record {says}; record {seq} is at {elsewhere}",
        )
    return Finding(
        DELETED,
        expected,
        f"record {expected} was deleted and the records after it renumbered: position {seq} holds record {says}",
    )


def _changed(conn: sqlite3.Connection, seq: int, message: str, *, first: int | None = None) -> Finding:
    """Content that does not hash as stored: an edit, unless the next record claims the same number
    (then this one was slipped in)."""
    row = conn.execute("SELECT body FROM records WHERE seq = ?", (seq + 1,)).fetchone()
    if row is not None and str(row[0]).startswith(codec.prefix(seq)):
        return Finding(
            INSERTED, seq, f"a record was inserted at {seq}: the record stored after it is the real record {seq}"
        )
    return Finding(EDITED, first if first is not None else seq, message)


def _stored_as(conn: sqlite3.Connection, seq: int) -> int | None:
    row = conn.execute(
        "SELECT seq FROM records WHERE substr(body, 1, ?) = ? LIMIT 1", (len(codec.prefix(seq)), codec.prefix(seq))
    ).fetchone()
    return int(row[0]) if row else None


def _when(t: float | None) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if t is not None else "an unknown time"
