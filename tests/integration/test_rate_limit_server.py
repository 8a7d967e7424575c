"""The rate limit as a client sees it: a real server on loopback, the official openai client."""

from __future__ import annotations

from pathlib import Path

import openai
import pytest

from garrison.app import build, create_asgi
from garrison.config import Settings
from garrison.engines.fake import FakeEngine
from garrison.store.models import ModelRepository
from tests.conftest import fake_record, person, serve_in_thread


def test_openai_client_sees_429_with_retry_after_from_a_real_server(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", user_rate_limit_per_minute=1, user_rate_limit_burst=1)
    rt = build(settings, create=True, factory=lambda r: FakeEngine(r.name))
    ModelRepository(rt.db).insert(fake_record())
    key = person(rt, "burst", role="analyst")
    with serve_in_thread(create_asgi(rt)) as root:
        client = openai.OpenAI(base_url=f"{root}/v1", api_key=key, max_retries=0)
        client.chat.completions.create(model="fake-model", messages=[{"role": "user", "content": "one"}])
        with pytest.raises(openai.RateLimitError) as exc:
            client.chat.completions.create(model="fake-model", messages=[{"role": "user", "content": "two"}])
        assert exc.value.status_code == 429
        assert int(exc.value.response.headers["retry-after"]) >= 1
    rt.db.close()
