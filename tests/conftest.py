"""Test-wide fixtures. The air-gap guard is installed for the whole session: any test that tries
to reach a non-loopback address fails with EgressRefused, exactly as the server would refuse it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from garrison.app import Runtime, build, create_asgi
from garrison.config import Settings
from garrison.core.types import ModelRecord
from garrison.engines.base import Engine
from garrison.engines.fake import FakeEngine
from garrison.security import egress

egress.install(egress.EgressPolicy())


def fake_record(name: str = "fake-model", context_length: int = 4096) -> ModelRecord:
    return ModelRecord(
        name=name,
        engine="fake",
        path=None,
        sha256=None,
        size_bytes=None,
        license="MIT",
        origin="test fixture",
        context_length=context_length,
        added_at=1_700_000_000.0,
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", max_body_bytes=64 * 1024, max_messages=8, max_prompt_chars=2000)


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    """A runtime on a real SQLite file whose catalog holds one model served by the FakeEngine."""
    engines: dict[str, FakeEngine] = {}

    def factory(record: ModelRecord) -> Engine:
        engines[record.name] = FakeEngine(record.name, context_length=record.context_length)
        return engines[record.name]

    rt = build(settings, create=True, factory=factory)
    from garrison.store.models import ModelRepository

    ModelRepository(rt.db).insert(fake_record())
    yield rt
    rt.db.close()


@pytest.fixture
def admin_key(runtime: Runtime) -> str:
    return runtime.services.keys.create("test admin", role="admin").key


@pytest.fixture
async def client(runtime: Runtime, admin_key: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_asgi(runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", headers={"Authorization": f"Bearer {admin_key}"}
        ) as c:
            yield c


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """A real uvicorn server for ``app`` on a free loopback port, in a thread; yields its root URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
