"""The bytes of an audit record: canonical JSON, which is also the data of its Merkle leaf.

``{"seq":N,`` comes first, then every field of the event and its ``kind`` with keys sorted,
no spaces, UTF-8 (not ASCII-escaped), no NaN. The record an inspector receives (``audit export``,
``audit proof``) is exactly these bytes, so they can hash it themselves: leaf = SHA-256(0x00 ||
record). Pure functions; no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from garrison.core.events import AuditEvent

VERSION = 1


def encode(event: AuditEvent) -> str:
    """The event without its sequence number (the writer adds it): ``{"at":...,"kind":...}``."""
    data: dict[str, object] = {f.name: getattr(event, f.name) for f in fields(event)}
    data["kind"] = event.KIND
    data["v"] = VERSION
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_plain)


def record(seq: int, encoded: str) -> str:
    """The stored record: the sequence number first, then the encoded event's fields."""
    return f'{{"seq":{seq},{encoded[1:]}'


def prefix(seq: int) -> str:
    """How record ``seq`` starts: checked without parsing the whole record."""
    return f'{{"seq":{seq},'


def decode(body: str) -> dict[str, Any]:
    value = json.loads(body)
    if not isinstance(value, dict):
        raise ValueError("an audit record is a JSON object")
    return value


def _plain(value: object) -> object:
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)
