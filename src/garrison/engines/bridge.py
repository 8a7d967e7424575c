"""Hand items from an engine thread to the event loop with as few wake-ups as possible.

``asyncio.Queue`` + ``call_soon_threadsafe`` costs one self-pipe write and one loop wake-up per
token. Here the producer appends to a deque and wakes the loop only when the consumer is
actually waiting; when tokens arrive faster than they are sent, the consumer takes them all at
once. On a 2-core machine every cycle the gateway spends is a cycle llama.cpp does not get.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from typing import Any


class Channel:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._items: deque[Any] = deque()
        self._lock = threading.Lock()
        self._waiter: asyncio.Future[None] | None = None

    def put(self, item: Any) -> None:
        """Thread side. Never blocks; wakes the loop only if the consumer is waiting."""
        with self._lock:
            self._items.append(item)
            waiter, self._waiter = self._waiter, None
        if waiter is not None:
            with contextlib.suppress(RuntimeError):  # loop closed: nobody is listening any more
                self._loop.call_soon_threadsafe(_wake, waiter)

    async def take(self) -> list[Any]:
        """Loop side. Everything available now, waiting for at least one item."""
        while True:
            with self._lock:
                if self._items:
                    items = list(self._items)
                    self._items.clear()
                    return items
                waiter = self._loop.create_future()
                self._waiter = waiter
            await waiter


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)
