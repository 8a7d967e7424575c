"""The batch queue: one worker thread, a lone item served at once, what queued while it was busy
served as one batch in order, errors kept to the items (or the batch) they belong to."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from garrison.service.batching import BatchQueue


async def test_what_queues_while_the_worker_is_busy_runs_as_one_batch_in_order() -> None:
    release = threading.Event()
    seen: list[list[int]] = []

    def work(items: Sequence[int]) -> list[int | BaseException]:
        seen.append(list(items))
        if items[0] == 0:
            release.wait(5)  # the first batch holds the worker while the others queue
        return [i * 10 for i in items]

    queue: BatchQueue[int, int] = BatchQueue(work, name="test-batch")
    first = asyncio.create_task(queue.submit(0))
    while not seen:
        await asyncio.sleep(0.001)
    rest = [asyncio.create_task(queue.submit(i)) for i in range(1, 6)]
    await asyncio.sleep(0.01)
    release.set()
    assert await first == 0
    assert await asyncio.gather(*rest) == [10, 20, 30, 40, 50]
    assert seen == [[0], [1, 2, 3, 4, 5]]
    assert (queue.batches, queue.items) == (2, 6)
    queue.close()


async def test_batches_are_capped_and_errors_stay_with_their_item_or_batch() -> None:
    release = threading.Event()
    seen: list[list[int]] = []

    def work(items: Sequence[int]) -> list[int | BaseException]:
        seen.append(list(items))
        if items[0] == 0:
            release.wait(5)
        if 99 in items:
            raise RuntimeError("the whole batch failed")
        return [ValueError(f"bad {i}") if i == 3 else i for i in items]

    queue: BatchQueue[int, int] = BatchQueue(work, name="test-batch", max_batch=2)
    first = asyncio.create_task(queue.submit(0))
    while not seen:
        await asyncio.sleep(0.001)
    tasks = [asyncio.create_task(queue.submit(i)) for i in (1, 2, 3, 4, 99, 5)]
    await asyncio.sleep(0.01)
    release.set()
    results = await asyncio.gather(first, *tasks, return_exceptions=True)
    assert seen == [[0], [1, 2], [3, 4], [99, 5]]
    assert results[:3] == [0, 1, 2]
    assert isinstance(results[3], ValueError) and str(results[3]) == "bad 3" and results[4] == 4
    assert all(isinstance(r, RuntimeError) and "whole batch" in str(r) for r in results[5:])
    queue.close()


async def test_a_cancelled_caller_is_skipped_and_a_closed_queue_refuses() -> None:
    release = threading.Event()
    seen: list[list[int]] = []

    def work(items: Sequence[int]) -> list[int | BaseException]:
        seen.append(list(items))
        if items[0] == 0:
            release.wait(5)
        return list(items)

    queue: BatchQueue[int, int] = BatchQueue(work, name="test-batch")
    first = asyncio.create_task(queue.submit(0))
    while not seen:
        await asyncio.sleep(0.001)
    gone = asyncio.create_task(queue.submit(1))
    kept = asyncio.create_task(queue.submit(2))
    await asyncio.sleep(0.01)
    gone.cancel()
    await asyncio.sleep(0)
    release.set()
    assert await first == 0 and await kept == 2
    assert seen == [[0], [2]]
    queue.close()
    with pytest.raises(RuntimeError, match="closed"):
        await queue.submit(3)
