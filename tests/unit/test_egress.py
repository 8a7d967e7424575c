"""The air gap: the guard installed by conftest refuses any non-loopback destination."""

from __future__ import annotations

import socket

import pytest

from garrison.core.errors import EgressRefused
from garrison.security import egress


def test_loopback_is_always_permitted() -> None:
    policy = egress.EgressPolicy()
    for host in ("127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"):
        assert policy.permits(host), host
    for host in ("10.0.0.1", "192.0.2.1", "example.org", "0.0.0.0"):
        assert not policy.permits(host), host


def test_allow_list_admits_named_hosts_and_addresses() -> None:
    policy = egress.EgressPolicy()
    policy.allow(["192.0.2.7", "[2001:db8::5]"], resolve=False)
    assert policy.permits("192.0.2.7")
    assert policy.permits("2001:db8::5")
    assert not policy.permits("192.0.2.8")


def test_a_real_connection_to_a_non_loopback_address_is_refused_before_any_packet() -> None:
    active = egress.active_policy()
    assert active is not None, "conftest must install the guard"
    refused: list[str] = []
    active.on_refused.append(refused.append)
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        with pytest.raises(EgressRefused, match=r"192\.0\.2\.1:9"):
            sock.connect(("192.0.2.1", 9))
        sock.close()
        with pytest.raises(EgressRefused, match="name lookup"):
            socket.getaddrinfo("updates.example.org", 443)
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        with pytest.raises(EgressRefused):
            udp.sendto(b"x", ("192.0.2.53", 53))
        udp.close()
    finally:
        active.on_refused.remove(refused.append)
    assert refused == ["192.0.2.1:9", "updates.example.org (name lookup)", "192.0.2.53:53"]


def test_loopback_connections_still_work() -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=5)
    conn, _ = server.accept()
    client.sendall(b"ping")
    assert conn.recv(4) == b"ping"
    for s in (client, conn, server):
        s.close()


def test_offline_switches_are_set() -> None:
    import os

    for key, value in egress.OFFLINE_ENV.items():
        assert os.environ[key] == value


def test_the_server_never_runs_on_uvloop() -> None:
    """uvloop connects sockets inside libuv, where no audit hook sees them: it must stay off."""
    import inspect

    from garrison import app

    source = inspect.getsource(app.serve)
    assert 'loop="asyncio"' in source
