"""The batch queue: one worker thread, a lone item served at once, what queued while it was busy
served as one batch in order, errors kept to the items (or the batch) they belong to."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence

import pytest

from garrison.service.batching import BatchQueue


class Held:
    """A queue whose first batch (item 0) holds the worker until ``release``; ``seen`` lists the
    batches as the work got them."""

    def __init__(
        self, answer: Callable[[Sequence[int]], list[int | BaseException]], max_batch: int = 16, hold: float = 0.0
    ) -> None:
        self.seen: list[list[int]] = []
        self._go = threading.Event()

        def work(items: Sequence[int]) -> list[int | BaseException]:
            self.seen.append(list(items))
            if items[0] == 0:
                self._go.wait(5)
            return answer(items)

        self.queue: BatchQueue[int, int] = BatchQueue(work, name="test-batch", max_batch=max_batch, hold=hold)

    async def start(self) -> asyncio.Task[int]:
        """Item 0 submitted and taken by the worker: what is submitted next queues."""
        first = asyncio.create_task(self.queue.submit(0))
        while not self.seen:
            await asyncio.sleep(0.001)
        return first

    async def release(self) -> None:
        await asyncio.sleep(0.01)  # let the queued submissions arrive first
        self._go.set()


async def test_what_queues_while_the_worker_is_busy_runs_as_one_batch_in_order() -> None:
    held = Held(lambda items: [i * 10 for i in items])
    first = await held.start()
    rest = [asyncio.create_task(held.queue.submit(i)) for i in range(1, 6)]
    await held.release()
    assert await first == 0
    assert await asyncio.gather(*rest) == [10, 20, 30, 40, 50]
    assert held.seen == [[0], [1, 2, 3, 4, 5]]
    assert (held.queue.batches, held.queue.items, held.queue.largest) == (2, 6, 5)
    held.queue.close()


async def test_batches_are_capped_and_errors_stay_with_their_item_or_batch() -> None:
    def answer(items: Sequence[int]) -> list[int | BaseException]:
        if 99 in items:
            raise RuntimeError("the whole batch failed")
        return [ValueError(f"bad {i}") if i == 3 else i for i in items]

    held = Held(answer, max_batch=2)
    first = await held.start()
    tasks = [asyncio.create_task(held.queue.submit(i)) for i in (1, 2, 3, 4, 99, 5)]
    await held.release()
    results = await asyncio.gather(first, *tasks, return_exceptions=True)
    assert held.seen == [[0], [1, 2], [3, 4], [99, 5]]
    assert results[:3] == [0, 1, 2]
    assert isinstance(results[3], ValueError) and str(results[3]) == "bad 3" and results[4] == 4
    assert all(isinstance(r, RuntimeError) and "whole batch" in str(r) for r in results[5:])
    held.queue.close()


async def test_a_cancelled_caller_is_skipped_and_a_closed_queue_refuses() -> None:
    held = Held(list)
    first = await held.start()
    gone = asyncio.create_task(held.queue.submit(1))
    kept = asyncio.create_task(held.queue.submit(2))
    await asyncio.sleep(0.01)
    gone.cancel()
    await asyncio.sleep(0)
    await held.release()
    assert await first == 0 and await kept == 2
    assert held.seen == [[0], [2]]
    held.queue.close()
    with pytest.raises(RuntimeError, match="closed"):
        await held.queue.submit(3)


async def test_with_hold_a_burst_goes_out_together_and_nothing_is_held_for_nobody() -> None:
    held = Held(list, max_batch=2, hold=5.0)
    batches_when_done: dict[int, int] = {}
    first = await held.start()
    tasks = [asyncio.create_task(held.queue.submit(i)) for i in (1, 2, 3)]
    for task in (first, *tasks):
        task.add_done_callback(lambda t: batches_when_done.setdefault(t.result(), held.queue.batches))
    await held.release()
    assert await asyncio.gather(first, *tasks) == [0, 1, 2, 3]
    assert held.seen == [[0], [1, 2], [3]]
    # item 0 and items 1-2 finished while more waited: they went out with item 3, after all 3 batches
    assert batches_when_done == {0: 3, 1: 3, 2: 3, 3: 3}

    # a lone item is never held; nor is a batch whose followers were all cancelled
    assert await asyncio.wait_for(held.queue.submit(4), 1.0) == 4
    blocker = Held(list, hold=5.0)
    first = await blocker.start()
    gone = asyncio.create_task(blocker.queue.submit(1))
    await asyncio.sleep(0.01)
    gone.cancel()
    await asyncio.sleep(0)
    await blocker.release()
    assert await asyncio.wait_for(first, 1.0) == 0
    held.queue.close()
    blocker.queue.close()


async def test_hold_is_bounded_in_time() -> None:
    """Results wait for the next batch only while the first of them has waited less than ``hold``."""
    gates = {2: threading.Event(), 3: threading.Event()}

    def work(items: Sequence[int]) -> list[int | BaseException]:
        for item in items:
            if item in gates:
                gates[item].wait(5)
        return list(items)

    slow: BatchQueue[int, int] = BatchQueue(work, name="test-slow", max_batch=1, hold=0.05)
    one, two, three = (asyncio.create_task(slow.submit(i)) for i in (1, 2, 3))
    await asyncio.sleep(0.2)
    assert not one.done()  # 1 finished while 2 and 3 waited: held while 2 runs
    gates[2].set()  # 2 ends after 1 has waited past the hold: both go out, although 3 still waits
    assert list(await asyncio.wait_for(asyncio.gather(one, two), 1.0)) == [1, 2]
    assert not three.done()
    gates[3].set()
    assert await asyncio.wait_for(three, 1.0) == 3
    slow.close()
