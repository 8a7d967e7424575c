"""A connection attempted from inside the running server is refused and reported.

The server runs in this process (uvicorn on a free loopback port, driven by the openai client).
Its remote engine is built with the allow-list check bypassed on purpose, so that the request
really reaches the socket layer: the audit-hook guard must still stop it before any packet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from garrison.app import build, create_asgi
from garrison.config import Settings
from garrison.core.types import EVERYONE, ModelRecord
from garrison.engines.base import Engine
from garrison.engines.openai_remote import RemoteOpenAIEngine
from garrison.store.models import ModelRepository
from tests.conftest import person, serve_in_thread


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    settings = Settings(data_dir=tmp_path / "data")

    def factory(record: ModelRecord) -> Engine:
        return RemoteOpenAIEngine(
            record.name,
            base_url=record.base_url or "",
            remote_model="llama",
            context_length=4096,
            host_allowed=lambda host: True,  # a bug or a misconfiguration lets it through...
        )

    rt = build(settings, create=True, factory=factory)
    ModelRepository(rt.db).insert(
        ModelRecord(
            name="outside",
            engine="openai",
            path=None,
            sha256=None,
            size_bytes=None,
            license="x",
            origin="test",
            context_length=4096,
            base_url="http://192.0.2.10:8000/v1",
            eligibility=EVERYONE,
        )
    )
    key = person(rt)
    with serve_in_thread(create_asgi(rt)) as root:
        yield root, key
    rt.db.close()


def test_outbound_connection_from_the_server_is_refused_and_reported(
    server: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    root, key = server
    client = openai.OpenAI(base_url=f"{root}/v1", api_key=key, max_retries=0, timeout=30)
    with caplog.at_level("WARNING", logger="garrison.egress"), pytest.raises(openai.InternalServerError) as exc:
        client.chat.completions.create(model="outside", messages=[{"role": "user", "content": "hi"}])
    assert exc.value.status_code == 503
    error = exc.value.response.json()["error"]
    assert error["code"] == "egress_refused"
    assert "192.0.2.10" in error["message"]
    assert any("192.0.2.10" in r.getMessage() and "refused" in r.getMessage() for r in caplog.records)
    metrics = httpx.get(f"{root}/metrics", timeout=5).text
    assert "garrison_egress_refused_total 1.0" in metrics
