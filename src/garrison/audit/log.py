"""The tamper-evident audit log: an append-only RFC 6962 Merkle tree with signed checkpoints.

:class:`AuditLog` is the service layer's :class:`AuditSink`. ``record`` encodes the event in the
caller's thread and queues it; one writer thread takes everything queued, gives it sequence
numbers, hashes it into the tree and commits it in one SQLite transaction (group commit: one
``fsync`` for however many requests arrived meanwhile). A caller inside a request scope gets a
ticket and the HTTP edge awaits :meth:`AuditLog.wait` before it answers; any other caller blocks
until its record is durable. A batch that cannot be written (disk full) fails the requests that
were waiting on it: nothing is answered that is not recorded.

Every ``checkpoint_seconds`` (and on close) the writer signs a checkpoint of the new size in the
C2SP signed-note format, after checking with a consistency proof that the tree extends the latest
checkpoint; it never signs one that does not. Several processes (the server, the CLI) may append
to the same file: the writer notices records it did not write and reloads its edge of the tree.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from garrison.audit import codec
from garrison.audit.merkle import ProofError, consistency_path, inclusion_path, leaf_hash, verify_consistency
from garrison.audit.note import Checkpoint, NoteError, SigningKey, VerifierKey, open_checkpoint, sign_checkpoint
from garrison.audit.tree import Edge, range_hash
from garrison.core.errors import ConfigurationError, StorageUnavailable
from garrison.core.events import AuditEvent, current_scope
from garrison.store.audit import AuditStore, Row

log = logging.getLogger("garrison.audit")


class AuditIntegrityError(ConfigurationError):
    """The stored log does not agree with itself or with its signed checkpoints."""

    code = "audit_integrity"


@dataclass(frozen=True, slots=True)
class Proofs:
    """What an inspector needs to check records offline (``garrison audit proof``)."""

    checkpoint: str  # the signed note the proofs lead to
    size: int
    records: dict[int, str]  # seq -> record
    inclusion: dict[int, list[bytes]]  # seq -> audit path to the checkpoint's root


@dataclass(slots=True)
class _Failed:
    first: int
    last: int
    message: str


class AuditLog:
    def __init__(
        self,
        store: AuditStore,
        key: SigningKey | None,
        *,
        clock: Callable[[], float] = time.time,
        checkpoint_seconds: float = 5.0,
        max_batch: int = 4096,
    ) -> None:
        self.store = store
        self.key = key
        self.verifier: VerifierKey | None = key.verifier() if key else None
        self._clock = clock
        self._interval = checkpoint_seconds
        self._max_batch = max_batch
        self._cond = threading.Condition()
        self._queue: list[tuple[int, str]] = []
        self._next = 1  # the next ticket
        self._done = 0  # every ticket <= done has been written (or failed)
        self._failed: list[_Failed] = []
        self._waiters: list[tuple[int, asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._closing = False
        self._thread: threading.Thread | None = None
        self._edge = Edge()
        self._cp_at = 0.0
        self.appended = 0  # records this process wrote
        self.commits = 0  # transactions it took

    # -- lifecycle ----------------------------------------------------------------------------------
    def open(self) -> AuditLog:
        """Load the tree's edge, check the stored log against its latest checkpoint (and the
        records written since it, from their content), start the writer."""
        with self.store.writing() as conn:
            size = AuditStore.size(conn)
            node = _reader(conn)
            latest = AuditStore.latest_checkpoint(conn)
            try:
                self._edge = Edge.load(size, node)
                if latest is not None and self.verifier is not None:
                    cp = self._open(latest.note)
                    self._check_extends(cp, size, self._edge.root(), node)
                    self._check_tail(conn, cp.size, size, node)
                    self._cp_at = latest.signed_at
                elif latest is None:
                    self._check_tail(conn, 0, size, node)
                    self._cp_at = self._clock()
            except (KeyError, NoteError, ProofError) as exc:
                raise AuditIntegrityError(
                    f"the audit log {self.store.path} failed its start-up check: {exc}. "
                    "Run `garrison audit verify` to see what was changed; nothing more is written to it."
                ) from exc
        self._thread = threading.Thread(target=self._run, name="garrison-audit-writer", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Write everything queued, sign a last checkpoint, stop the writer."""
        with self._cond:
            if self._closing:
                return
            self._closing = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join()
        self.store.close()

    # -- the sink ---------------------------------------------------------------------------------
    def record(self, event: AuditEvent) -> None:
        encoded = codec.encode(event)
        with self._cond:
            if self._closing or self._thread is None:
                raise StorageUnavailable("the audit log is not open: nothing can be done without recording it")
            ticket = self._next
            self._next += 1
            self._queue.append((ticket, encoded))
            self._cond.notify_all()
        scope = current_scope()
        if scope is not None:
            scope.ticket = max(scope.ticket, ticket)
            return
        self.wait_sync(ticket)

    def wait_sync(self, ticket: int) -> None:
        with self._cond:
            while self._done < ticket:
                self._cond.wait()
        self._raise_if_failed(ticket)

    async def wait(self, ticket: int) -> None:
        """Return once the record with this ticket is on disk; raise if it could not be written."""
        with self._cond:
            if self._done >= ticket:
                future = None
            else:
                loop = asyncio.get_running_loop()
                future = loop.create_future()
                self._waiters.append((ticket, loop, future))
        if future is not None:
            await future
        self._raise_if_failed(ticket)

    def _raise_if_failed(self, ticket: int) -> None:
        with self._cond:
            for f in self._failed:
                if f.first <= ticket <= f.last:
                    raise StorageUnavailable(f"the audit record of this request could not be written: {f.message}")

    # -- the writer -------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._queue and not self._closing:
                    self._cond.wait(timeout=self._interval)
                batch = self._queue[: self._max_batch]
                del self._queue[: len(batch)]
                final = self._closing and not self._queue
            if batch:
                self._commit(batch)
            if self.key is not None and (final or self._clock() - self._cp_at >= self._interval):
                self._checkpoint()
            if final:
                return

    def _commit(self, batch: list[tuple[int, str]]) -> None:
        error: str | None = None
        try:
            with self.store.writing() as conn:
                size = AuditStore.size(conn)
                if size != self._edge.size:  # another process appended: its records are ours to extend
                    self._edge = Edge.load(size, _reader(conn))
                edge = self._edge.copy()
                rows = []
                for i, (_, encoded) in enumerate(batch, start=size + 1):
                    body = codec.record(i, encoded)
                    leaf = leaf_hash(body.encode())
                    rows.append(Row(i, body, leaf, b"".join(edge.push(leaf))))
                AuditStore.append(conn, rows)
            self._edge = edge
            self.appended += len(rows)
            self.commits += 1
        except Exception as exc:  # the records are not written: the requests waiting on them fail
            error = str(exc)
            log.error("audit: %d record(s) could not be written: %s", len(batch), exc)
            self._edge = Edge(-1)  # reload from the store next time
        self._finish(batch[0][0], batch[-1][0], error)

    def _finish(self, first: int, last: int, error: str | None) -> None:
        with self._cond:
            if error is not None:
                self._failed.append(_Failed(first, last, error))
                del self._failed[:-256]
            self._done = last
            self._cond.notify_all()
            ready = [w for w in self._waiters if w[0] <= last]
            self._waiters = [w for w in self._waiters if w[0] > last]
        for _, loop, future in ready:
            loop.call_soon_threadsafe(_resolve, future)

    def _checkpoint(self) -> None:
        """Sign the current size if it grew (records of any process) and extends the last one."""
        assert self.key is not None
        now = self._clock()
        try:
            with self.store.writing() as conn:
                size = AuditStore.size(conn)
                latest = AuditStore.latest_checkpoint(conn)
                if size == 0 or (latest is not None and latest.size >= size):
                    self._cp_at = now
                    return
                node = _reader(conn)
                new_root = range_hash(node, 0, size)
                if latest is not None:
                    self._check_extends(self._open(latest.note), size, new_root, node)
                cp = Checkpoint(self.key.name, size, new_root, now)
                AuditStore.add_checkpoint(conn, size, now, sign_checkpoint(cp, self.key))
            self._cp_at = now
        except (KeyError, NoteError, ProofError) as exc:
            self._cp_at = now
            log.critical("audit: NOT signing a checkpoint: %s. Run `garrison audit verify`.", exc)
        except Exception as exc:
            self._cp_at = now
            log.error("audit: the checkpoint could not be written: %s", exc)

    # -- checks -----------------------------------------------------------------------------------
    def _open(self, note: str) -> Checkpoint:
        assert self.verifier is not None
        return open_checkpoint(note, self.verifier)

    @staticmethod
    def _check_extends(cp: Checkpoint, size: int, root: bytes, node: Callable[[int, int], bytes]) -> None:
        if cp.size > size:
            raise ProofError(f"the latest checkpoint covers {cp.size} records but the log holds {size}")
        if cp.size == 0:
            return
        proof = consistency_path(lambda lo, hi: range_hash(node, lo, hi), size, cp.size) if cp.size < size else []
        try:
            verify_consistency(cp.size, size, proof, cp.root, root)
        except ProofError as exc:
            raise ProofError(f"the records no longer extend the checkpoint of size {cp.size} ({exc})") from exc

    @staticmethod
    def _check_tail(conn: sqlite3.Connection, first: int, size: int, node: Callable[[int, int], bytes]) -> None:
        """Records after the last checkpoint: recomputed from their content."""
        edge = Edge.load(first, node)
        for row in AuditStore.rows(conn, first + 1, size):
            if not row.body.startswith(codec.prefix(row.seq)) or leaf_hash(row.body.encode()) != row.leaf:
                raise ProofError(f"record {row.seq} does not match its hash")
            if b"".join(edge.push(row.leaf)) != row.nodes:
                raise ProofError(f"the tree hashes stored with record {row.seq} are wrong")

    # -- reading ----------------------------------------------------------------------------------
    def latest(self) -> tuple[int, str] | None:
        return latest(self.store)

    def proofs(self, seqs: list[int], size: int | None = None) -> Proofs:
        return proofs(self.store, seqs, size)

    def consistency(self, size1: int, size2: int | None = None) -> tuple[str, str, list[bytes]]:
        return consistency(self.store, size1, size2)


def latest(store: AuditStore) -> tuple[int, str] | None:
    """(size, signed note) of the latest checkpoint."""
    with store.reading() as conn:
        cp = AuditStore.latest_checkpoint(conn)
    return (cp.size, cp.note) if cp else None


def proofs(store: AuditStore, seqs: list[int], size: int | None = None) -> Proofs:
    """Inclusion proofs of records to a signed checkpoint (the latest, or the one of ``size``)."""
    with store.reading() as conn:
        cps = {c.size: c for c in AuditStore.checkpoints(conn)}
        if not cps:
            raise LookupError("no checkpoint has been signed yet: wait a few seconds and try again")
        chosen = cps.get(size) if size is not None else cps[max(cps)]
        if chosen is None:
            raise LookupError(f"there is no checkpoint of size {size}; sizes: {', '.join(map(str, sorted(cps)))}")
        node = _reader(conn)
        records, paths = {}, {}
        for seq in seqs:
            if not 1 <= seq <= chosen.size:
                raise LookupError(f"record {seq} is not covered by the checkpoint of size {chosen.size}")
            row = next(AuditStore.rows(conn, seq, seq), None)
            if row is None:
                raise LookupError(f"record {seq} is missing")
            records[seq] = row.body
            paths[seq] = inclusion_path(lambda lo, hi: range_hash(node, lo, hi), chosen.size, seq - 1)
    return Proofs(chosen.note, chosen.size, records, paths)


def consistency(store: AuditStore, size1: int, size2: int | None = None) -> tuple[str, str, list[bytes]]:
    """(note of size1, note of size2, proof) between two signed checkpoints."""
    with store.reading() as conn:
        cps = {c.size: c for c in AuditStore.checkpoints(conn)}
        size2 = size2 if size2 is not None else max(cps, default=0)
        if size1 not in cps or size2 not in cps:
            raise LookupError(f"both sizes must be signed checkpoints; sizes: {', '.join(map(str, sorted(cps)))}")
        if size1 > size2:
            raise LookupError("the first checkpoint must be the smaller")
        node = _reader(conn)
        proof = consistency_path(lambda lo, hi: range_hash(node, lo, hi), size2, size1) if size1 < size2 else []
    return cps[size1].note, cps[size2].note, proof


def _reader(conn: sqlite3.Connection) -> Callable[[int, int], bytes]:
    cache: dict[tuple[int, int], bytes] = {}

    def node(level: int, index: int) -> bytes:
        key = (level, index)
        if key not in cache:
            cache[key] = AuditStore.node(conn, level, index)
        return cache[key]

    return node


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
