"""Organisations and people: create, read, change, disable; and the principal a person acts as.

Every use-case goes through the policy (``Authoriser``) and is audited. Changes arrive as a
mapping of the fields to change (what a PATCH body or a set of CLI options says), so "leave it"
and "clear it" stay distinct: a field that is absent is left alone, ``None`` resets a quota to the
deployment default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from garrison.core.clock import Clock
from garrison.core.errors import AuthenticationFailed, Conflict, GarrisonError, InvalidRequest, NotFound
from garrison.core.markings import GROUPS, Level, Marking
from garrison.core.types import CONSOLE, ROLES, Organisation, Principal, Quota, User
from garrison.security import markings
from garrison.security.eligibility import ORG_RE
from garrison.security.markings import MarkingError
from garrison.security.oidc import Identity
from garrison.security.policy import Action, Resource, groups_of
from garrison.service.authz import Authoriser
from garrison.store.identity import IdentityRepository

USER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")
OIDC_PREFIX = "oidc:"  # ids of people provisioned from the identity provider
QUOTA_FIELDS = frozenset({"requests_per_minute", "requests_burst", "daily_tokens"})
ORG_FIELDS = frozenset({"name", "nation", "groups", "disabled"}) | QUOTA_FIELDS
USER_FIELDS = frozenset({"name", "role", "disabled"}) | QUOTA_FIELDS
CLEARANCE_FIELDS = frozenset({"clearance", "nationality", "caveats"})


def principal_for(user: User, org: Organisation, *, key_id: str | None = None, subject: str | None = None) -> Principal:
    return Principal(
        user_id=user.id,
        name=user.name,
        role=user.role,
        organisation=org.id,
        organisation_nation=org.nation,
        organisation_groups=groups_of(org.nation, org.groups),
        operator=org.operator,
        nationality=user.nationality,
        clearance=user.clearance,
        caveats=user.caveats,
        key_id=key_id,
        subject=subject,
        limits=user.quota,
        organisation_limits=org.quota,
    )


def console(os_user: str) -> Principal:
    """The local command line. Its id is not a valid user id, so it never stands for a person."""
    return Principal(user_id="(console)", name=os_user, role=CONSOLE, operator=True)


# -- validation: each error says what was expected ------------------------------------------------
def _nation(value: str, param: str, *, bodies: bool) -> str:
    try:
        return markings.nation(value, param, bodies=bodies)
    except MarkingError as exc:  # a field of a person or an organisation, not a document's marking
        raise InvalidRequest(exc.message, param=param) from exc


def _level(value: str) -> Level:
    try:
        return markings.level(value)
    except MarkingError as exc:
        raise InvalidRequest(exc.message, param="clearance") from exc


def _org_id(value: str) -> str:
    if not ORG_RE.match(value):
        raise InvalidRequest(
            f"organisation id {value!r} is not valid: use lower-case letters, digits, '.', '_' or '-' "
            "(at most 64, starting with a letter or digit), e.g. mod-it",
            param="id",
        )
    return value


def _user_id(value: str) -> str:
    if not USER_RE.match(value):
        raise InvalidRequest(
            f"user id {value!r} is not valid: use letters, digits, '.', '_', '@', '+' or '-' "
            "(at most 128, starting with a letter or digit), e.g. m.rossi",
            param="id",
        )
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"{what} must be a non-empty text", param=what)
    return value.strip()


def _role(value: object) -> str:
    if value not in ROLES:
        raise InvalidRequest(f"unknown role {value!r}; expected one of {', '.join(ROLES)}", param="role")
    return str(value)


def _groups(values: Iterable[str]) -> frozenset[str]:
    out = set()
    for value in values:
        token = value.strip().upper()
        if token not in GROUPS:
            raise InvalidRequest(
                f"unknown group {value!r}; expected one of {', '.join(sorted(GROUPS))}", param="groups"
            )
        out.add(token)
    return frozenset(out)


def _caveats(values: Iterable[str]) -> frozenset[str]:
    try:
        return frozenset(markings.caveat(v) for v in values if v.strip())
    except MarkingError as exc:
        raise InvalidRequest(exc.message, param="caveats") from exc


def _number(changes: Mapping[str, object], name: str, minimum: float, integer: bool) -> float | int | None:
    value = changes[name]
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or value < minimum
        or (integer and value != int(value))
    ):
        kind = "a whole number" if integer else "a number"
        raise InvalidRequest(f"{name} must be {kind} of at least {minimum:g}, or null for the default", param=name)
    return int(value) if integer else float(value)


def _quota(current: Quota, changes: Mapping[str, object]) -> Quota:
    q = current
    if "requests_per_minute" in changes:
        q = replace(q, requests_per_minute=_number(changes, "requests_per_minute", 0, False))
    if "requests_burst" in changes:
        q = replace(q, requests_burst=_number(changes, "requests_burst", 1, True))  # type: ignore[arg-type]
    if "daily_tokens" in changes:
        q = replace(q, daily_tokens=_number(changes, "daily_tokens", 0, True))  # type: ignore[arg-type]
    return q


def _unknown(changes: Mapping[str, object], allowed: frozenset[str], what: str) -> None:
    extra = sorted(set(changes) - allowed)
    if extra:
        raise InvalidRequest(
            f"cannot change {', '.join(extra)} of {what}; changeable: {', '.join(sorted(allowed))}", param=extra[0]
        )


def _disabled(changes: Mapping[str, object], current: float | None, now: float) -> float | None:
    if "disabled" not in changes:
        return current
    if not isinstance(changes["disabled"], bool):
        raise InvalidRequest("disabled must be true or false", param="disabled")
    return (current or now) if changes["disabled"] else None


class IdentityService:
    def __init__(self, repo: IdentityRepository, authz: Authoriser, clock: Clock) -> None:
        self._repo = repo
        self._authz = authz
        self._clock = clock

    # -- organisations ------------------------------------------------------------------------------
    def create_organisation(
        self,
        p: Principal,
        org_id: str,
        *,
        name: str,
        nation: str | None = None,
        groups: Iterable[str] = (),
        quota: Quota | None = None,
        operator: bool = False,
    ) -> Organisation:
        org = Organisation(
            id=_org_id(org_id),
            name=_text(name, "name"),
            nation=None if nation is None else _nation(nation, "nation", bodies=True),
            groups=_groups(groups),
            operator=operator,
            quota=_checked(quota),
            created_at=self._clock.now(),
        )
        details = {"name": org.name, "nation": org.nation, "groups": sorted(org.groups), "operator": operator}
        self._authz.require(p, Action.ORG_MANAGE, Resource("organisation", org.id), "organisation.create", details)
        self._repo.insert_organisation(org)
        return org

    def organisations(self, p: Principal) -> list[Organisation]:
        """Every organisation for the operator's members; one's own for the others."""
        if not self._authz.may(p, Action.ORG_READ, Resource("organisation")):
            return [self.organisation(p, p.organisation or "")]
        self._authz.require(p, Action.ORG_READ, Resource("organisation"), "organisation.list")
        return self._repo.organisations()

    def organisation(self, p: Principal, org_id: str) -> Organisation:
        self._authz.require(p, Action.ORG_READ, Resource("organisation", org_id, org_id), "organisation.read")
        return self._repo.organisation(org_id)

    def update_organisation(self, p: Principal, org_id: str, changes: Mapping[str, object]) -> Organisation:
        _unknown(changes, ORG_FIELDS, "an organisation")
        org = self._repo.organisation(org_id)
        resource = Resource("organisation", org_id, org_id)
        self._authz.require(p, Action.ORG_MANAGE, resource, "organisation.update", _safe(changes))
        new = replace(
            org,
            name=_text(changes["name"], "name") if "name" in changes else org.name,
            nation=_optional_nation(changes, org.nation),
            groups=_groups(_strings(changes["groups"], "groups")) if "groups" in changes else org.groups,
            quota=_quota(org.quota, changes),
            disabled_at=_disabled(changes, org.disabled_at, self._clock.now()),
        )
        if new.operator and new.disabled_at is not None:
            raise InvalidRequest("the operator organisation cannot be disabled: it administers the deployment")
        self._repo.update_organisation(new)
        return new

    # -- people -------------------------------------------------------------------------------------
    def create_user(
        self,
        p: Principal,
        user_id: str,
        *,
        organisation: str,
        role: str,
        name: str | None = None,
        clearance: str | None = None,
        nationality: str | None = None,
        caveats: Iterable[str] | None = None,
        quota: Quota | None = None,
    ) -> User:
        _user_id(user_id)
        org = self._repo.organisation(organisation)
        user = User(
            id=user_id,
            organisation=org.id,
            name=_text(name, "name") if name is not None else user_id,
            role=_role(role),
            clearance=_level(clearance) if clearance is not None else Level.UNCLASSIFIED,
            nationality=(
                _nation(nationality, "nationality", bodies=False)
                if nationality is not None
                else (org.nation if org.nation not in markings.BODIES else None)
            ),
            caveats=_caveats(caveats or ()),
            quota=_checked(quota),
            created_at=self._clock.now(),
        )
        resource = Resource("user", user.id, org.id)
        self._authz.require(p, Action.USER_MANAGE, resource, "user.create", {"role": user.role})
        if clearance is not None or nationality is not None or caveats:
            self._require_grant(p, user, "user.create")
        self._repo.insert_user(user)
        return user

    def users(self, p: Principal, organisation: str | None = None) -> list[User]:
        """The people of ``organisation``; by default one's own, or everyone's for the operator."""
        scope = organisation if organisation is not None else (None if p.operator else p.organisation)
        self._authz.require(p, Action.USER_READ, Resource("user", None, scope), "user.list")
        return self._repo.users(scope)

    def user(self, p: Principal, user_id: str) -> User:
        user = self._repo.user(user_id)
        self._authz.require(p, Action.USER_READ, Resource("user", user.id, user.organisation), "user.read")
        return user

    def update_user(self, p: Principal, user_id: str, changes: Mapping[str, object]) -> User:
        """Role, name, quotas and disabling need user.manage; clearance, nationality and caveats
        need clearance.set, by someone who holds at least what they grant."""
        _unknown(changes, USER_FIELDS | CLEARANCE_FIELDS, "a user")
        user = self._repo.user(user_id)
        resource = Resource("user", user.id, user.organisation)
        if changes.keys() & USER_FIELDS:
            self._authz.require(p, Action.USER_MANAGE, resource, "user.update", _safe(changes))
        new = replace(
            user,
            name=_text(changes["name"], "name") if "name" in changes else user.name,
            role=_role(changes["role"]) if "role" in changes else user.role,
            quota=_quota(user.quota, changes),
            disabled_at=_disabled(changes, user.disabled_at, self._clock.now()),
            clearance=_level(str(changes["clearance"])) if "clearance" in changes else user.clearance,
            nationality=_optional_nation(changes, user.nationality, "nationality", bodies=False),
            caveats=_caveats(_strings(changes["caveats"], "caveats")) if "caveats" in changes else user.caveats,
        )
        from_idp = sorted(changes.keys() & (CLEARANCE_FIELDS | {"role"}))
        if changes.keys() & CLEARANCE_FIELDS:
            self._require_grant(p, new, "user.clearance")
        if from_idp and user.oidc_subject is not None:
            raise InvalidRequest(
                f"the {', '.join(from_idp)} of {user.id} come from the identity provider; change them there",
                param=from_idp[0],
            )
        self._repo.update_user(new)
        return new

    def _require_grant(self, p: Principal, user: User, operation: str) -> None:
        grant = Marking(user.clearance, None, user.caveats)
        details = {"clearance": user.clearance.label, "nationality": user.nationality, "caveats": sorted(user.caveats)}
        resource = Resource("user", user.id, user.organisation, grant=grant)
        self._authz.require(p, Action.CLEARANCE_SET, resource, operation, details)

    # -- who is calling -----------------------------------------------------------------------------
    def member(self, user_id: str) -> tuple[User, Organisation]:
        found = self._repo.member(user_id)
        if found is None:
            raise NotFound(f"no user with id {user_id!r}")
        return found

    def oidc_principal(self, identity: Identity) -> Principal:
        """The principal of a verified token. The person is provisioned on first sign-in and kept
        in step with the token's claims; a person or organisation disabled here stays refused."""
        try:
            org = self._repo.organisation(identity.organisation or "")
        except NotFound as exc:
            raise AuthenticationFailed(
                f"the token's organisation {identity.organisation!r} is not registered on this deployment",
                code="unknown_organisation",
            ) from exc
        try:
            wanted = User(
                id=OIDC_PREFIX + identity.subject,
                organisation=org.id,
                name=identity.name,
                role=_role(identity.role),
                clearance=identity.clearance,
                nationality=_nation(identity.nationality, "nationality", bodies=False)
                if identity.nationality
                else None,
                caveats=_caveats(identity.caveats),
                oidc_subject=identity.subject,
                created_at=self._clock.now(),
            )
        except GarrisonError as exc:
            raise AuthenticationFailed(
                f"the token's claims are not usable: {exc.message}", code="invalid_token"
            ) from exc
        existing = self._repo.find_user(wanted.id)
        if existing is None:
            try:
                self._repo.insert_user(wanted)
            except Conflict:  # signed in twice at once: the other request created them
                existing = self._repo.user(wanted.id)
        if existing is None:
            user = wanted
        else:
            user = replace(
                wanted, quota=existing.quota, created_at=existing.created_at, disabled_at=existing.disabled_at
            )
            if user != existing:
                self._repo.update_user(user)
        check_active(user, org)
        return principal_for(user, org, subject=identity.subject)

    # -- first run ----------------------------------------------------------------------------------
    def operator_id(self) -> str | None:
        """The organisation that runs the deployment (None before `garrison init`)."""
        found = self._repo.operator()
        return found.id if found is not None else None

    def ensure_operator(self, p: Principal, org_id: str, nation: str | None) -> Organisation:
        existing = self._repo.operator()
        if existing is not None:
            return existing
        name = "Deployment operator" if org_id == "operator" else org_id
        return self.create_organisation(p, org_id, name=name, nation=nation, operator=True)

    def ensure_user(self, p: Principal, user_id: str, *, organisation: str, role: str) -> User:
        found = self._repo.find_user(user_id)
        return found if found is not None else self.create_user(p, user_id, organisation=organisation, role=role)


def check_active(user: User, org: Organisation) -> None:
    if org.disabled_at is not None:
        raise AuthenticationFailed(f"the organisation {org.id} is disabled", code="organisation_disabled")
    if user.disabled_at is not None:
        raise AuthenticationFailed(f"the user {user.id} is disabled", code="user_disabled")


def _checked(quota: Quota | None) -> Quota:
    """A quota given whole (on creation), checked like one given field by field."""
    return _quota(Quota(), _quota_dict(quota)) if quota else Quota()


def _quota_dict(q: Quota) -> dict[str, object]:
    return {
        "requests_per_minute": q.requests_per_minute,
        "requests_burst": q.requests_burst,
        "daily_tokens": q.daily_tokens,
    }


def _strings(value: object, what: str) -> list[str]:
    if isinstance(value, str):
        return [v for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in value):
        return list(value)
    raise InvalidRequest(f"{what} must be a list of texts", param=what)


def _optional_nation(
    changes: Mapping[str, object], current: str | None, what: str = "nation", *, bodies: bool = True
) -> str | None:
    if what not in changes:
        return current
    value = changes[what]
    return None if value is None else _nation(str(value), what, bodies=bodies)


def _safe(changes: Mapping[str, object]) -> dict[str, object]:
    """What an audit record keeps of a change: the values, made plain."""
    return {k: sorted(v) if isinstance(v, (set, frozenset, list, tuple)) else v for k, v in changes.items()}
