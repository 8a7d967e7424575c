"""API keys: every key belongs to a person. Create (shown once), list (prefix only), expire,
revoke, authenticate. One's own keys need ``key.own``; another person's need ``key.manage``."""

from __future__ import annotations

from dataclasses import dataclass

from garrison.core.clock import Clock
from garrison.core.errors import AuthenticationFailed, InvalidRequest, NotFound
from garrison.core.types import Principal
from garrison.security import apikeys
from garrison.security.policy import Action, Resource
from garrison.service.authz import Authoriser
from garrison.service.identity import IdentityService, check_active, principal_for
from garrison.store.keys import KeyRepository, KeyRow


@dataclass(frozen=True, slots=True)
class CreatedKey:
    id: str
    key: str  # the secret, shown once and never again
    user_id: str
    name: str
    expires_at: float | None


class KeyService:
    TOUCH_EVERY = 60.0  # seconds between writes of a key's last_used_at (no write per request)

    def __init__(self, repo: KeyRepository, identity: IdentityService, authz: Authoriser, clock: Clock) -> None:
        self._repo = repo
        self._identity = identity
        self._authz = authz
        self._clock = clock
        self._touched: dict[str, float] = {}

    def _require(self, p: Principal, user_id: str, organisation: str, key_id: str | None, operation: str) -> None:
        action = Action.KEY_OWN if user_id == p.user_id else Action.KEY_MANAGE
        resource = Resource("key", key_id, organisation, owner=user_id)
        self._authz.require(p, action, resource, operation, {"user": user_id})

    def create(
        self, p: Principal, user_id: str, name: str | None = None, expires_in_days: float | None = None
    ) -> CreatedKey:
        if name is not None and not name.strip():
            raise InvalidRequest("a key's name, when given, must not be blank (say who or what uses it)", param="name")
        if expires_in_days is not None and expires_in_days <= 0:
            raise InvalidRequest("expiry must be a positive number of days", param="expires_in_days")
        user, org = self._identity.member(user_id)
        self._require(p, user.id, org.id, None, "key.create")
        if user.disabled_at is not None or org.disabled_at is not None:
            raise InvalidRequest(f"{user.id} is disabled (or their organisation is): enable them first", param="user")
        new = apikeys.generate()
        now = self._clock.now()
        expires = now + expires_in_days * 86400 if expires_in_days is not None else None
        label = name.strip() if name is not None else user.id
        self._repo.insert(KeyRow(new.id, user.id, new.secret_hash, label, now, expires, None, None))
        return CreatedKey(id=new.id, key=new.secret, user_id=user.id, name=label, expires_at=expires)

    def list(self, p: Principal, *, user_id: str | None = None, organisation: str | None = None) -> list[KeyRow]:
        """One person's keys, or an organisation's, or by default: everyone's for the console and
        the operator's key managers, the organisation's for key managers, one's own otherwise."""
        if user_id is not None:
            user, org = self._identity.member(user_id)
            self._require(p, user.id, org.id, None, "key.list")
            return self._repo.list(user_id=user.id)
        if organisation is None:
            if not self._authz.may(p, Action.KEY_MANAGE, Resource("key", None, p.organisation)):
                return self.list(p, user_id=p.user_id)
            organisation = None if p.operator else p.organisation
        self._authz.require(p, Action.KEY_MANAGE, Resource("key", None, organisation), "key.list")
        return self._repo.list(organisation=organisation)

    def _holder_row(self, p: Principal, key_id: str, operation: str) -> KeyRow:
        holder = self._repo.holder(key_id)
        if holder is None:
            raise NotFound(f"no API key with id {key_id}")
        self._require(p, holder.user.id, holder.organisation.id, key_id, operation)
        return holder.key

    def revoke(self, p: Principal, key_id: str) -> KeyRow:
        """Refused from the next request on (every request reads the key)."""
        self._holder_row(p, key_id, "key.revoke")
        self._repo.revoke(key_id, self._clock.now())
        return self._row(key_id)

    def expire(self, p: Principal, key_id: str, at: float | None = None) -> KeyRow:
        """Set when the key stops working: now by default, or a time to come."""
        self._holder_row(p, key_id, "key.expire")
        self._repo.expire(key_id, self._clock.now() if at is None else at)
        return self._row(key_id)

    def _row(self, key_id: str) -> KeyRow:
        row = self._repo.get(key_id)
        if row is None:
            raise NotFound(f"no API key with id {key_id}")
        return row

    def has_keys(self) -> bool:
        return self._repo.count() > 0

    def authenticate(self, key: str) -> Principal:
        key_id = apikeys.parse_id(key)
        holder = self._repo.holder(key_id) if key_id else None
        if holder is None or not apikeys.matches(key, holder.key.secret_hash):
            raise AuthenticationFailed("Incorrect API key provided.")
        row = holder.key
        now = self._clock.now()
        if row.revoked_at is not None:
            raise AuthenticationFailed("This API key has been revoked.", code="revoked_api_key")
        if row.expires_at is not None and row.expires_at <= now:
            raise AuthenticationFailed("This API key has expired.", code="expired_api_key")
        check_active(holder.user, holder.organisation)
        last = self._touched.get(row.id, row.last_used_at or 0.0)
        if now - last >= self.TOUCH_EVERY:
            self._touched[row.id] = now
            self._repo.touch(row.id, now)
        return principal_for(holder.user, holder.organisation, key_id=row.id)
