"""API key format and hashing. A key is ``gsk_<id>_<secret>``; only its SHA-256 is stored.

The secret has 256 bits of entropy, so a plain SHA-256 (not a slow password hash) is the right
tool, as for GitHub or Stripe tokens: it cannot be brute-forced, and checking stays cheap.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PREFIX = "gsk"


@dataclass(frozen=True, slots=True)
class NewKey:
    id: str
    secret: str  # the whole key, shown once
    secret_hash: str


def generate() -> NewKey:
    key_id = secrets.token_hex(6)
    key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    return NewKey(id=key_id, secret=key, secret_hash=hash_key(key))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_id(key: str) -> str | None:
    """The key's public id, or None if it is not shaped like one of ours."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 12 or not parts[2]:
        return None
    return parts[1]


def matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_key(key), stored_hash)
