"""The air gap, enforced in-process.

A Python audit hook (PEP 578) sees every ``socket.connect``, ``socket.sendto`` and
``socket.getaddrinfo`` the interpreter makes, including those of asyncio, httpx and any library
loaded later, and refuses any destination that is not loopback or on the allow-list before a
packet is sent. Audit hooks cannot be removed, so :func:`install` is idempotent and the policy it
enforces is the :class:`EgressPolicy` object passed in, which the composition root owns.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from garrison.core.errors import EgressRefused

log = logging.getLogger("garrison.egress")

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "ANONYMIZED_TELEMETRY": "False",
}


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@dataclass
class EgressPolicy:
    """Which non-loopback hosts may be reached (hostnames or IP addresses)."""

    allowed_hosts: set[str] = field(default_factory=set)
    allowed_ips: set[str] = field(default_factory=set)
    on_refused: list[Callable[[str], None]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def allow(self, hosts: Iterable[str], *, resolve: bool = True) -> None:
        """Add hosts; names are resolved once here so later connects to their addresses pass."""
        for raw in hosts:
            host = raw.strip().strip("[]").lower()
            if not host:
                continue
            with self._lock:
                self.allowed_hosts.add(host)
            try:
                ipaddress.ip_address(host)
                with self._lock:
                    self.allowed_ips.add(host)
                continue
            except ValueError:
                pass
            if resolve:
                try:
                    infos = socket.getaddrinfo(host, None)
                except OSError:
                    continue  # unresolvable now: the name is still allowed for later lookups
                with self._lock:
                    self.allowed_ips.update(str(info[4][0]) for info in infos)

    def permits(self, host: str) -> bool:
        host = host.strip("[]").lower()
        if is_loopback(host):
            return True
        with self._lock:
            return host in self.allowed_hosts or host in self.allowed_ips

    def refuse(self, what: str) -> EgressRefused:
        message = f"air gap: outbound connection to {what} refused (not loopback, not on the allow-list)"
        log.warning(message)
        for callback in list(self.on_refused):
            try:
                callback(what)
            except Exception:  # a failing reporter must not open the gate
                log.exception("egress refusal reporter failed")
        return EgressRefused(message)


_installed: list[EgressPolicy] = []
_install_lock = threading.Lock()


def _host_of(address: Any) -> str | None:
    """The host of a socket address, or None for address families that are not networks."""
    if isinstance(address, tuple) and address and isinstance(address[0], (str, bytes)):
        host = address[0]
        return host.decode() if isinstance(host, bytes) else host
    return None


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _installed or event not in ("socket.connect", "socket.sendto", "socket.getaddrinfo"):
        return
    policy = _installed[0]
    if event == "socket.getaddrinfo":
        host = args[0]
        if host is None:
            return
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name and not policy.permits(name):
            raise policy.refuse(f"{name} (name lookup)")
        return
    sock, address = args[0], args[1]
    family = getattr(sock, "family", None)
    if family not in (socket.AF_INET, socket.AF_INET6):
        return
    host = _host_of(address)
    if host is not None and not policy.permits(host):
        port = address[1] if len(address) > 1 else "?"
        raise policy.refuse(f"{host}:{port}")


def install(policy: EgressPolicy) -> EgressPolicy:
    """Install the guard for this process (once) and make ``policy`` the one it enforces."""
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value
    with _install_lock:
        if not _installed:
            _installed.append(policy)
            sys.addaudithook(_hook)
        else:
            _installed[0] = policy
    return policy


def active_policy() -> EgressPolicy | None:
    return _installed[0] if _installed else None
