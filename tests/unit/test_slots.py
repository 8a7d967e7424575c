"""The slot pool: busy slots stay packed at the bottom, conversations return to their slot when
that does not widen the busy range, and requests beyond the slots wait first come first served."""

from __future__ import annotations

import asyncio
import threading

import pytest

from garrison.engines.llamacpp import _conversation
from garrison.engines.slots import SlotPool


async def test_the_lowest_free_slot_is_taken_so_busy_slots_stay_contiguous() -> None:
    pool = SlotPool(8)
    got = [await pool.acquire() for _ in range(4)]
    assert got == [0, 1, 2, 3]
    pool.release(1)
    assert await pool.acquire() == 1  # the gap is filled first
    pool.release(3)
    pool.release(2)
    assert await pool.acquire() == 2
    assert pool.busy() == frozenset({0, 1, 2})


async def test_a_conversation_returns_to_its_slot_only_inside_the_busy_range() -> None:
    pool = SlotPool(8)
    for _ in range(4):
        await pool.acquire()
    await pool.acquire("chat-a")  # slot 4
    for slot in (1, 2, 4):
        pool.release(slot)
    # busy {0, 3}: slot 4 lies beyond the busy range, so "chat-a" gets the lowest free slot
    assert await pool.acquire("chat-a") == 1
    pool.release(1)
    await pool.acquire("chat-b")  # slot 1
    await pool.acquire("chat-c")  # slot 2
    pool.release(2)
    pool.release(1)
    # busy {0, 3}: slot 2 is free and inside the range, and last served "chat-c"
    assert await pool.acquire("chat-c") == 2
    assert await pool.acquire("chat-b") == 1


async def test_requests_beyond_the_slots_wait_in_order_and_a_release_from_another_thread_wakes_them() -> None:
    pool = SlotPool(2)
    assert [await pool.acquire(), await pool.acquire()] == [0, 1]
    order: list[tuple[str, int]] = []

    async def wait(name: str) -> None:
        order.append((name, await pool.acquire()))

    first = asyncio.create_task(wait("first"))
    await asyncio.sleep(0)
    second = asyncio.create_task(wait("second"))
    await asyncio.sleep(0)
    assert pool.waiting() == 2
    worker = threading.Thread(target=pool.release, args=(1,))
    worker.start()
    worker.join()
    await asyncio.wait_for(first, 1)
    assert order == [("first", 1)] and not second.done()
    pool.release(0)
    await asyncio.wait_for(second, 1)
    assert order == [("first", 1), ("second", 0)]
    assert pool.busy() == frozenset({0, 1}) and pool.waiting() == 0


async def test_a_waiter_cancelled_before_or_as_it_is_served_does_not_lose_the_slot() -> None:
    pool = SlotPool(1)
    await pool.acquire()
    gone = asyncio.create_task(pool.acquire())
    await asyncio.sleep(0)
    gone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gone
    pool.release(0)
    assert pool.busy() == frozenset()
    # handed the slot and cancelled before it could resume: the slot comes back
    await pool.acquire()
    late = asyncio.create_task(pool.acquire())
    await asyncio.sleep(0)
    pool.release(0)  # schedules the hand-over on the loop
    late.cancel()
    with pytest.raises(asyncio.CancelledError):
        await late
    await asyncio.sleep(0)
    assert pool.busy() == frozenset()
    assert await pool.acquire() == 0


def test_a_pool_needs_a_slot() -> None:
    with pytest.raises(ValueError, match="at least one slot"):
        SlotPool(0)


def test_a_conversation_is_named_by_its_history_up_to_the_first_user_message() -> None:
    turn1 = {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]}
    turn2 = {
        "messages": [
            *turn1["messages"],
            {"role": "assistant", "content": "Hello."},
            {"role": "user", "content": "Tell me more."},
        ]
    }
    other = {"messages": [{"role": "user", "content": "Hi"}]}
    assert _conversation(turn1) == _conversation(turn2) != _conversation(other)
    assert _conversation({"messages": [{"role": "system", "content": "x"}]}) is None
    assert _conversation({"prompt": "One, two," * 100}) == ("One, two," * 100)[:256]
    assert _conversation({}) is None
