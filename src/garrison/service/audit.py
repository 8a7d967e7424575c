"""Reading and proving the audit log: for auditors (API), the operator (CLI) and inspectors (offline).

Reads go through the policy (``audit.read``) and are themselves audited. An auditor of the
operator reads every organisation's records; an auditor of another organisation only its own (so
they prove their records with inclusion proofs; only the operator can recompute the whole log).
Nothing here can change or delete a record: the store has no such operation.

:func:`check_bundle` is what ``garrison audit verify-proof`` runs on an inspector's machine: it
needs the exported file and the log's public key, not the log.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from garrison.audit import log as audit_log
from garrison.audit.log import AuditLog
from garrison.audit.merkle import ProofError, leaf_hash, verify_consistency, verify_inclusion
from garrison.audit.note import Checkpoint, NoteError, VerifierKey, open_checkpoint
from garrison.audit.verify import Report, verify
from garrison.core.errors import InvalidRequest, NotFound
from garrison.core.events import SystemEvent
from garrison.core.types import CONSOLE, Principal
from garrison.security.policy import Action, Resource
from garrison.service.authz import Authoriser
from garrison.store.audit import AuditStore, Filter

INCLUSION = "garrison.audit.inclusion/v1"
CONSISTENCY = "garrison.audit.consistency/v1"
MAX_PAGE = 1000


@dataclass(frozen=True, slots=True)
class RecordQuery:
    since: float | None = None
    until: float | None = None
    actor: str | None = None
    action: str | None = None  # action or operation; "user." for a prefix
    allowed: bool | None = None
    kind: str | None = None
    after: int = 0  # records after this sequence number (paging)
    limit: int | None = 100

    @classmethod
    def parse(
        cls, since: str | None, until: str | None, actor: str | None, action: str | None, decision: str | None,
        kind: str | None, after: int = 0, limit: int | None = None, *, flag: str = "",
    ) -> RecordQuery:  # fmt: skip
        """From the words of a request or a command line (``flag``: "--" names the options)."""
        return cls(parse_time(since, f"{flag}since"), parse_time(until, f"{flag}until"), actor, action,
                   parse_decision(decision), kind, after, limit)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BundleCheck:
    kind: str  # inclusion or consistency
    size: int
    records: tuple[int, ...] = ()
    sizes: tuple[int, int] | None = None
    messages: tuple[str, ...] = field(default=())


class AuditService:
    def __init__(self, store: AuditStore, verifier: VerifierKey | None, log: AuditLog | None = None) -> None:
        self._store = store
        self._verifier = verifier
        self._log = log
        self._bound: Authoriser | None = None

    def bind(self, authz: Authoriser) -> None:
        """The policy and sink (built after the log: the sink is the log)."""
        self._bound = authz

    @property
    def _authz(self) -> Authoriser:
        if self._bound is None:
            raise RuntimeError("AuditService used before bind()")
        return self._bound

    def system(self, operation: str, details: dict[str, object]) -> None:
        """The server started or stopped."""
        self._authz.emit(
            SystemEvent(
                at=self._authz.now(),
                actor="system",
                organisation=None,
                action="system",
                operation=operation,
                resource="system:*",
                allowed=True,
                reasons=(),
                details=details,
            )
        )

    # -- durability (the HTTP edge waits before answering) --------------------------------------
    @property
    def durable(self) -> Callable[[int], Awaitable[None]] | None:
        return self._log.wait if self._log is not None else None

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
        else:
            self._store.close()

    # -- reading --------------------------------------------------------------------------------
    def _scope(self, p: Principal, operation: str, details: dict[str, object]) -> str | None:
        """The organisation whose records ``p`` may read (None: all), decided and audited."""
        whole = Resource("audit")
        if p.role == CONSOLE or self._authz.may(p, Action.AUDIT_READ, whole):
            self._authz.require(p, Action.AUDIT_READ, whole, operation, details)
            return None
        self._authz.require(p, Action.AUDIT_READ, Resource("audit", None, p.organisation), operation, details)
        return p.organisation

    def _filter(self, q: RecordQuery, organisation: str | None) -> Filter:
        limit = None if q.limit is None else max(1, min(q.limit, MAX_PAGE))
        return Filter(q.since, q.until, q.actor, q.action, q.allowed, q.kind, organisation, q.after, limit)

    def records(self, p: Principal, q: RecordQuery) -> list[tuple[int, str]]:
        """(seq, record) of the records ``p`` may read that match, oldest first."""
        org = self._scope(p, "audit.read", _plain(q))
        with self._store.reading() as conn:
            return list(AuditStore.select(conn, self._filter(q, org)))

    def export(self, p: Principal, q: RecordQuery) -> Iterator[str]:
        """Every matching record exactly as stored (its bytes hash to its leaf), for a SIEM."""
        org = self._scope(p, "audit.export", _plain(q))
        after = q.after
        while True:
            page = replace(q, after=after, limit=MAX_PAGE)
            with self._store.reading() as conn:
                rows = list(AuditStore.select(conn, self._filter(page, org)))
            for _, body in rows:
                yield body
            if len(rows) < MAX_PAGE:
                return
            after = rows[-1][0]

    def public_key(self) -> str:
        if self._verifier is None:
            raise NotFound("this deployment has no audit signing key: run `garrison init`")
        return self._verifier.to_text()

    def checkpoint(self, p: Principal) -> tuple[int, str]:
        self._scope(p, "audit.checkpoint", {})
        latest = audit_log.latest(self._store)
        if latest is None:
            raise NotFound(
                "no checkpoint has been signed yet: the first is signed a few seconds after the first record"
            )
        return latest

    def proof(self, p: Principal, seqs: Sequence[int], size: int | None = None) -> dict[str, Any]:
        """An inclusion bundle: the records, their audit paths and the signed checkpoint."""
        if not seqs:
            raise InvalidRequest("name at least one record", param="seq")
        org = self._scope(p, "audit.proof", {"records": list(seqs), "size": size})
        try:
            proofs = audit_log.proofs(self._store, sorted(set(seqs)), size)
        except LookupError as exc:
            raise NotFound(str(exc)) from exc
        if org is not None:
            for seq, body in proofs.records.items():
                if json.loads(body).get("organisation") != org:
                    raise NotFound(f"record {seq} is not one of your organisation's")
        return {
            "type": INCLUSION,
            "public_key": self.public_key(),
            "checkpoint": proofs.checkpoint,
            "records": [
                {"seq": seq, "record": proofs.records[seq], "proof": [_b64(h) for h in proofs.inclusion[seq]]}
                for seq in sorted(proofs.records)
            ],
        }

    def consistency(self, p: Principal, size1: int, size2: int | None = None) -> dict[str, Any]:
        self._scope(p, "audit.proof", {"from": size1, "to": size2})
        try:
            old, new, proof = audit_log.consistency(self._store, size1, size2)
        except LookupError as exc:
            raise NotFound(str(exc)) from exc
        return {
            "type": CONSISTENCY,
            "public_key": self.public_key(),
            "old": old,
            "new": new,
            "proof": [_b64(h) for h in proof],
        }

    def verify(self, p: Principal, external: Sequence[str] = ()) -> Report:
        """Recompute the whole log (the operator's auditors and the console only)."""
        if self._scope(p, "audit.verify", {"checkpoints_given": len(external)}) is not None:
            raise NotFound("only the operator can verify the whole log; prove your records with `audit proof`")
        if self._verifier is None:
            raise NotFound("this deployment has no audit signing key: run `garrison init`")
        with self._store.reading() as conn:
            return verify(conn, self._verifier, external)


def check_bundle(bundle: str, public_key: str, trusted: Sequence[str] = ()) -> BundleCheck:
    """Verify an exported proof offline; raise ValueError with what is wrong."""
    try:
        key = VerifierKey.from_text(public_key.strip())
    except NoteError as exc:
        raise ValueError(f"the public key is not a verifier key (name+hash+key): {exc}") from exc
    try:
        data = json.loads(bundle)
        kind = data["type"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("the file is not a Garrison audit proof (JSON with a 'type')") from exc
    notes = []
    for t in trusted:
        try:
            notes.append(open_checkpoint(t, key))
        except NoteError as exc:
            raise ValueError(f"a checkpoint you trust does not verify with this key: {exc}") from exc
    try:
        if kind == INCLUSION:
            cp = open_checkpoint(data["checkpoint"], key)
            _agrees(cp.size, cp.root, notes)
            seqs = []
            for item in data["records"]:
                seq, record = int(item["seq"]), str(item["record"])
                if not record.startswith(f'{{"seq":{seq},'):
                    raise ValueError(f"record {seq}: its text says it is another record")
                try:
                    proof = [base64.b64decode(h, validate=True) for h in item["proof"]]
                    verify_inclusion(seq - 1, cp.size, leaf_hash(record.encode()), proof, cp.root)
                except (ProofError, ValueError) as exc:
                    raise ValueError(f"record {seq} is not in the log the checkpoint signs: {exc}") from exc
                seqs.append(seq)
            return BundleCheck("inclusion", cp.size, tuple(seqs))
        if kind == CONSISTENCY:
            old, new = open_checkpoint(data["old"], key), open_checkpoint(data["new"], key)
            _agrees(old.size, old.root, notes)
            _agrees(new.size, new.root, notes)
            proof = [base64.b64decode(h, validate=True) for h in data["proof"]]
            try:
                verify_consistency(old.size, new.size, proof, old.root, new.root)
            except ProofError as exc:
                raise ValueError(
                    f"the log of size {new.size} does not extend the one of size {old.size}: {exc}"
                ) from exc
            return BundleCheck("consistency", new.size, sizes=(old.size, new.size))
    except NoteError as exc:
        raise ValueError(f"the checkpoint in the file does not verify: {exc}") from exc
    except (KeyError, TypeError) as exc:
        raise ValueError(f"the proof file is incomplete: {exc}") from exc
    raise ValueError(f"unknown proof type {kind!r}")


def parse_time(text: str | None, param: str) -> float | None:
    """Seconds since the epoch, or an ISO 8601 date or time (UTC unless it says otherwise)."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequest(
            f"{param}: {text!r} is not a time; give seconds since 1970 or ISO 8601 (2026-11-23T10:00:00Z)",
            param=param,
        ) from None
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp()


def parse_decision(text: str | None) -> bool | None:
    if text is None or text == "":
        return None
    if text in ("allowed", "refused"):
        return text == "allowed"
    raise InvalidRequest(f"decision is 'allowed' or 'refused', not {text!r}", param="decision")


def _agrees(size: int, root: bytes, trusted: Sequence[Checkpoint]) -> None:
    for cp in trusted:
        if cp.size == size and cp.root != root:
            raise ValueError(f"the checkpoint of size {size} disagrees with the one you trust: the log was forked")


def _b64(h: bytes) -> str:
    return base64.b64encode(h).decode()


def _plain(q: RecordQuery) -> dict[str, object]:
    return {k: v for k, v in asdict(q).items() if v is not None and k != "limit"}
