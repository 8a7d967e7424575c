"""One worker thread that takes, each time it is free, everything that has queued up meanwhile.

Personal-data detection (spaCy) is CPU work under the GIL. Several threads would only share the
GIL and the cores, so that all of a burst of requests finished late; one thread serves them in
order, and what arrived while it was busy goes through spaCy as one batch, which costs less per
text (``Detector.detect_many``). A request alone is served at once: nothing waits for a batch
to fill.

With ``hold``, results of a batch that finishes while more items wait go out with the next
batch's (for at most ``hold`` seconds from the first held): a burst of requests then reaches what
comes next together rather than in groups. The detection queue holds them because llama.cpp
starts a decode step with whatever calls it has, and a group arriving during that step waits for
it to end (docs/privacy.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class BatchQueue(Generic[T, R]):
    def __init__(
        self,
        work: Callable[[Sequence[T]], Sequence[R | BaseException]],
        *,
        name: str,
        max_batch: int = 16,
        hold: float = 0.0,
    ) -> None:
        self._work = work
        self._name = name
        self._max = max_batch
        self._hold = hold
        self._items: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[R], T]] = deque()
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self.batches = 0  # how many batches ran, how many items they held, the most in one (tests, metrics)
        self.items = 0
        self.largest = 0

    async def submit(self, item: T) -> R:
        """The item's result, or its error raised; a cancelled caller's item is skipped if it has
        not started."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        with self._ready:
            if self._closed:
                raise RuntimeError(f"{self._name} is closed")
            self._items.append((loop, future, item))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._ready.notify()
        return await future

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify()

    def _run(self) -> None:
        held: list[tuple[tuple[asyncio.AbstractEventLoop, asyncio.Future[R], T], R | BaseException]] = []
        since = 0.0  # when the first held result was ready
        while True:
            with self._ready:
                while not self._items and not self._closed and not held:
                    self._ready.wait()
                batch: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[R], T]] = []
                while self._items and len(batch) < self._max:
                    entry = self._items.popleft()
                    if not entry[1].cancelled():  # its caller is gone
                        batch.append(entry)
            if not batch:  # nothing (left) to run: what is held goes out now
                _settle_all(held)
                held = []
                with self._ready:
                    if self._closed and not self._items:
                        return
                continue
            results: Sequence[R | BaseException]
            try:
                results = self._work([item for _, _, item in batch])
                if len(results) != len(batch):
                    raise RuntimeError(f"{self._name}: {len(results)} results for {len(batch)} items")
            except Exception as exc:  # every item of the batch gets the error
                results = [exc] * len(batch)
            self.batches += 1
            self.items += len(batch)
            self.largest = max(self.largest, len(batch))
            if not held:
                since = time.monotonic()
            held.extend(zip(batch, results, strict=True))
            with self._ready:
                more = bool(self._items)
            if more and time.monotonic() - since < self._hold:
                continue  # these go out with the next batch's results
            _settle_all(held)
            held = []


def _settle_all(
    held: Sequence[tuple[tuple[asyncio.AbstractEventLoop, asyncio.Future[R], object], R | BaseException]],
) -> None:
    for (loop, future, _), result in held:
        with contextlib.suppress(RuntimeError):  # that loop is closed: nobody waits there
            loop.call_soon_threadsafe(_settle, future, result)


def _settle(future: asyncio.Future[R], result: R | BaseException) -> None:
    if future.done():
        return
    if isinstance(result, BaseException):
        future.set_exception(result)
    else:
        future.set_result(result)
