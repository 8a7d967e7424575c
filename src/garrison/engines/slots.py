"""Which llama.cpp slot each request decodes in.

llama.cpp keeps one KV stream per slot (``kv_unified`` off, its default when the number of slots
is given) and decodes a step of all busy slots as one batch only while their slot numbers are
contiguous: a gap splits the step into one graph evaluation per contiguous run (llama.cpp issue
#25840). Its server picks the least recently used free slot (or the one whose cached prompt is
most similar), which spreads the busy slots out. Measured on 2 cores with SmolLM2-135M, 16 slots:
8 streams in slots 0-7 decode at 207 tokens/s, in slots 0, 2, ..., 14 at 101, with llama.cpp's
own choice at 128.

So Garrison chooses: the lowest free slot, which keeps the busy slots packed at the bottom and
fills a gap as soon as a request arrives. A multi-turn conversation goes back to the slot that
served its previous turn (llama.cpp reuses the cached prefix there) only when that slot does not
widen the busy range. Requests beyond the number of slots wait here, first come first served.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Hashable


class SlotPool:
    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a slot pool needs at least one slot")
        self.size = size
        self._lock = threading.Lock()
        self._busy: set[int] = set()
        self._last: list[Hashable | None] = [None] * size  # what each slot served last
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[int], Hashable | None]] = deque()

    def busy(self) -> frozenset[int]:
        with self._lock:
            return frozenset(self._busy)

    def waiting(self) -> int:
        with self._lock:
            return sum(not future.done() for _, future, _ in self._waiters)

    def _pick(self, key: Hashable | None) -> int | None:
        """Caller holds the lock."""
        if len(self._busy) == self.size:
            return None
        lowest = next(s for s in range(self.size) if s not in self._busy)
        bound = max(lowest, max(self._busy, default=-1))
        slot = lowest
        if key is not None:
            slot = next((s for s in range(lowest, bound + 1) if s not in self._busy and self._last[s] == key), lowest)
        self._busy.add(slot)
        self._last[slot] = key
        return slot

    async def acquire(self, key: Hashable | None = None) -> int:
        """A free slot for a request; ``key`` names its conversation (prefix-cache affinity)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if not self._waiters:
                slot = self._pick(key)
                if slot is not None:
                    return slot
            future: asyncio.Future[int] = loop.create_future()
            entry = (loop, future, key)
            self._waiters.append(entry)
        try:
            return await future
        except asyncio.CancelledError:
            with self._lock, contextlib.suppress(ValueError):
                self._waiters.remove(entry)
            if future.done() and not future.cancelled():
                self.release(future.result())  # it was handed a slot just as it was cancelled
            raise

    def release(self, slot: int) -> None:
        """Any thread. The slot goes to the first waiter, if any."""
        with self._lock:
            self._busy.discard(slot)
            while self._waiters:
                loop, future, key = self._waiters.popleft()
                if future.done():
                    continue
                given = self._pick(key)
                assert given is not None  # a slot was just freed
                try:
                    loop.call_soon_threadsafe(self._deliver, future, given)
                except RuntimeError:  # that loop is closed: nobody waits there any more
                    self._busy.discard(given)
                    continue
                return

    def _deliver(self, future: asyncio.Future[int], slot: int) -> None:
        if future.done():  # cancelled meanwhile: pass the slot on
            self.release(slot)
        else:
            future.set_result(slot)
