"""API keys: create (shown once), list, revoke, authenticate."""

from __future__ import annotations

from dataclasses import dataclass

from garrison.core.clock import Clock
from garrison.core.errors import AuthenticationFailed, InvalidRequest
from garrison.core.types import Principal
from garrison.security import apikeys
from garrison.store.keys import KeyRepository, KeyRow

ROLES = ("admin", "user")


@dataclass(frozen=True, slots=True)
class CreatedKey:
    id: str
    key: str  # the secret, shown once and never again
    name: str
    role: str
    expires_at: float | None


class KeyService:
    TOUCH_EVERY = 60.0  # seconds between writes of a key's last_used_at (no write per request)

    def __init__(self, repo: KeyRepository, clock: Clock) -> None:
        self._repo = repo
        self._clock = clock
        self._touched: dict[str, float] = {}

    def create(self, name: str, role: str = "user", expires_in_days: float | None = None) -> CreatedKey:
        if role not in ROLES:
            raise InvalidRequest(f"unknown role {role!r}; expected one of {', '.join(ROLES)}", param="role")
        if not name.strip():
            raise InvalidRequest("a key needs a name (who or what uses it)", param="name")
        if expires_in_days is not None and expires_in_days <= 0:
            raise InvalidRequest("expiry must be a positive number of days", param="expires_in_days")
        new = apikeys.generate()
        now = self._clock.now()
        expires = now + expires_in_days * 86400 if expires_in_days is not None else None
        self._repo.insert(
            KeyRow(
                id=new.id,
                secret_hash=new.secret_hash,
                name=name.strip(),
                role=role,
                created_at=now,
                expires_at=expires,
                revoked_at=None,
                last_used_at=None,
            )
        )
        return CreatedKey(id=new.id, key=new.secret, name=name.strip(), role=role, expires_at=expires)

    def list(self) -> list[KeyRow]:
        return self._repo.list()

    def revoke(self, key_id: str) -> None:
        self._repo.revoke(key_id, self._clock.now())

    def has_keys(self) -> bool:
        return self._repo.count() > 0

    def authenticate(self, key: str | None) -> Principal:
        if not key:
            raise AuthenticationFailed(
                "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.",
                code="missing_api_key",
            )
        key_id = apikeys.parse_id(key)
        row = self._repo.get(key_id) if key_id else None
        if row is None or not apikeys.matches(key, row.secret_hash):
            raise AuthenticationFailed("Incorrect API key provided.")
        now = self._clock.now()
        if row.revoked_at is not None:
            raise AuthenticationFailed("This API key has been revoked.", code="revoked_api_key")
        if row.expires_at is not None and row.expires_at <= now:
            raise AuthenticationFailed("This API key has expired.", code="expired_api_key")
        last = self._touched.get(row.id, row.last_used_at or 0.0)
        if now - last >= self.TOUCH_EVERY:
            self._touched[row.id] = now
            self._repo.touch(row.id, now)
        return Principal(key_id=row.id, name=row.name, role=row.role)
