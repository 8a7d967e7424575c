from __future__ import annotations

import asyncio
import threading

from garrison.engines.bridge import Channel


async def test_items_cross_from_a_thread_in_order_and_in_batches() -> None:
    channel = Channel(asyncio.get_running_loop())
    release = threading.Event()

    def produce() -> None:
        for i in range(5):
            channel.put(i)
        release.wait(5)
        for i in range(5, 1000):
            channel.put(i)
        channel.put(None)

    thread = threading.Thread(target=produce)
    thread.start()
    got: list[object] = []
    batches = 0
    first = await channel.take()
    assert first == [0, 1, 2, 3, 4]  # everything already there comes at once
    got.extend(first)
    release.set()
    while got[-1] is not None:
        got.extend(await channel.take())
        batches += 1
    thread.join()
    assert got[:-1] == list(range(1000))
    assert batches < 995  # a producer faster than the consumer is drained in batches
