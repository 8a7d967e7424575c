"""Background ingestion for the API: an upload is read, marked, authorised and chunked at once
(every refusal is the upload's own 4xx), then embedded and stored by one worker thread while the
client polls its job.

Jobs live in the server process (the document itself, once stored, is in the database): a job
that was queued or running when the server stopped is lost and the file must be uploaded again.
A job is visible to the person who created it only; its document's title stays theirs to see.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from garrison.core.clock import Clock, IdGenerator
from garrison.core.documents import Document
from garrison.core.errors import GarrisonError, NotFound
from garrison.core.types import Principal
from garrison.service.documents import DocumentService, Prepared

log = logging.getLogger("garrison.ingestion")
State = Literal["queued", "running", "succeeded", "failed"]
KEEP = 1000  # finished jobs remembered, oldest forgotten first


@dataclass
class Job:
    id: str
    owner: str  # user id
    collection: str
    filename: str
    created_at: float
    state: State = "queued"
    chunks_done: int = 0
    chunks_total: int = 0
    document: Document | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    error_code: str | None = None
    finished_at: float | None = None


class IngestionQueue:
    def __init__(self, documents: DocumentService, clock: Clock, ids: IdGenerator) -> None:
        self._documents = documents
        self._clock = clock
        self._ids = ids
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="garrison-ingest")

    def submit(self, p: Principal, collection: str, prepared: Prepared) -> Job:
        doc = prepared.document
        job = Job(self._ids.new("ingest"), p.user_id, collection, doc.filename, self._clock.now())
        job.chunks_total = len(prepared.drafts)
        with self._lock:
            self._jobs[job.id] = job
            self._forget()
        self._pool.submit(self._run, job, prepared)
        return job

    def get(self, p: Principal, collection: str, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        # the same answer for absent, someone else's, and another collection's
        if job is None or job.owner != p.user_id or job.collection != collection:
            raise NotFound(f"no ingestion job {job_id!r}", param="job")
        return job

    def _run(self, job: Job, prepared: Prepared) -> None:
        job.state = "running"

        def progress(done: int, total: int) -> None:
            job.chunks_done, job.chunks_total = done, total

        try:
            result = self._documents.store(prepared, progress)
        except GarrisonError as exc:
            job.state, job.error, job.error_code = "failed", exc.message, exc.code
        except Exception as exc:  # a worker thread must never die silently
            log.exception("ingestion job %s failed", job.id)
            job.state, job.error, job.error_code = "failed", f"internal error: {type(exc).__name__}", "internal_error"
        else:
            job.document, job.warnings, job.state = result.document, result.warnings, "succeeded"
        job.finished_at = self._clock.now()

    def _forget(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.finished_at is not None]
        for key in finished[: max(0, len(finished) - KEEP)]:
            del self._jobs[key]

    def close(self) -> None:
        """Queued jobs are dropped; a running one is cut at process exit before its transaction,
        so nothing of it is stored."""
        self._pool.shutdown(wait=False, cancel_futures=True)
