"""Test-wide fixtures. The air-gap guard is installed for the whole session: any test that tries
to reach a non-loopback address fails with EgressRefused, exactly as the server would refuse it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from garrison.app import Runtime, build, create_asgi
from garrison.audit.sinks import MemoryAuditSink
from garrison.config import Settings
from garrison.core.clock import FixedClock
from garrison.core.types import EVERYONE, Eligibility, ModelRecord, Principal
from garrison.engines.base import Engine
from garrison.engines.fake import FakeEngine
from garrison.security import egress
from garrison.service.container import Services
from garrison.service.identity import QUOTA_FIELDS, principal_for

egress.install(egress.EgressPolicy())


def fake_record(
    name: str = "fake-model", context_length: int = 4096, eligibility: Eligibility = EVERYONE
) -> ModelRecord:
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
        eligibility=eligibility,
    )


def person(
    rt: Runtime,
    user_id: str = "test-admin",
    *,
    role: str = "admin",
    organisation: str = "operator",
    nation: str | None = None,
    **attributes: Any,
) -> str:
    """A person (and, when missing, their organisation) created from the console; returns a new key.

    ``organisation="operator"`` is the deployment's operator organisation."""
    s = rt.services
    if organisation == "operator":
        s.identity.ensure_operator(s.console, "operator", nation)
    elif organisation not in {o.id for o in s.identity.organisations(s.console)}:
        s.identity.create_organisation(s.console, organisation, name=organisation, nation=nation)
    s.identity.ensure_user(s.console, user_id, organisation=organisation, role=role)
    if attributes:
        s.identity.update_user(s.console, user_id, attributes)
    return s.keys.create(s.console, user_id).key


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
    return person(runtime)


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
    # the loop and parser `garrison serve` uses: "auto" would pick uvloop if something installed it,
    # whose sockets the air-gap audit hook cannot see
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", loop="asyncio", http="httptools")
    server = uvicorn.Server(config)
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


@dataclass
class World:
    """A deployment with a fixed clock and a recording audit sink, for service-level tests.

    Organisations: ``operator`` (runs the deployment), ``mod-it`` (ITA), ``dga-fr`` (FRA),
    ``nato-ncia`` (an agency of NATO itself) and ``dod-us`` (USA)."""

    rt: Runtime
    clock: FixedClock
    audit: MemoryAuditSink

    @property
    def services(self) -> Services:
        return self.rt.services

    def add(self, user_id: str, organisation: str, role: str, **attributes: Any) -> Principal:
        """Create a person from the console; quota attributes are set on them after creation."""
        s = self.services
        quota = {k: attributes.pop(k) for k in list(attributes) if k in QUOTA_FIELDS}
        s.identity.create_user(s.console, user_id, organisation=organisation, role=role, **attributes)
        if quota:
            s.identity.update_user(s.console, user_id, quota)
        return self.principal(user_id)

    def principal(self, user_id: str) -> Principal:
        user, org = self.services.identity.member(user_id)
        return principal_for(user, org)


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    clock = FixedClock(1_790_000_000.0)  # 2026-09-21 UTC
    audit = MemoryAuditSink()
    rt = build(settings, create=True, factory=lambda r: FakeEngine(r.name, context_length=r.context_length),
               audit=audit, clock=clock)  # fmt: skip
    s = rt.services
    s.identity.ensure_operator(s.console, "operator", None)
    for org_id, nation in (("mod-it", "ITA"), ("dga-fr", "FRA"), ("nato-ncia", "NATO"), ("dod-us", "USA")):
        s.identity.create_organisation(s.console, org_id, name=org_id.upper(), nation=nation)
    yield World(rt, clock, audit)
    rt.db.close()
