"""The admin API: organisations, people, keys, model eligibility and usage. Translation only: every
decision (who may do what to whom) is the service layer's, through the policy."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from garrison.core.types import ModelRecord, Organisation, Principal, Quota, User
from garrison.service.container import Services


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently ignored


class QuotaBody(_Strict):
    requests_per_minute: float | None = None
    requests_burst: int | None = None
    daily_tokens: int | None = None

    def quota(self) -> Quota:
        return Quota(self.requests_per_minute, self.requests_burst, self.daily_tokens)


class OrganisationCreate(QuotaBody):
    id: str
    name: str
    nation: str | None = None
    groups: list[str] = Field(default_factory=list)


class OrganisationPatch(_Strict):
    name: str | None = None
    nation: str | None = None
    groups: list[str] | None = None
    requests_per_minute: float | None = None
    requests_burst: int | None = None
    daily_tokens: int | None = None
    disabled: bool | None = None


class UserCreate(QuotaBody):
    id: str
    organisation: str
    role: str
    name: str | None = None
    clearance: str | None = None
    nationality: str | None = None
    caveats: list[str] | None = None


class UserPatch(_Strict):
    name: str | None = None
    role: str | None = None
    clearance: str | None = None
    nationality: str | None = None
    caveats: list[str] | None = None
    requests_per_minute: float | None = None
    requests_burst: int | None = None
    daily_tokens: int | None = None
    disabled: bool | None = None


class KeyCreate(_Strict):
    user: str | None = None  # default: oneself
    name: str | None = None
    expires_in_days: float | None = None


class KeyPatch(_Strict):
    expires_at: float | None = None  # seconds since the epoch; absent or null: now


class EligibilityBody(_Strict):
    eligibility: list[str]  # e.g. ["NATO", "USA", "org:mod-it"], ["everyone"], or [] for nobody


def _quota(q: Quota) -> dict[str, Any]:
    return {
        "requests_per_minute": q.requests_per_minute,
        "requests_burst": q.requests_burst,
        "daily_tokens": q.daily_tokens,
    }


def organisation_view(o: Organisation) -> dict[str, Any]:
    return {
        "object": "organisation",
        "id": o.id,
        "name": o.name,
        "nation": o.nation,
        "groups": sorted(o.groups),
        "operator": o.operator,
        "quota": _quota(o.quota),
        "created_at": o.created_at,
        "disabled_at": o.disabled_at,
    }


def user_view(u: User) -> dict[str, Any]:
    return {
        "object": "user",
        "id": u.id,
        "organisation": u.organisation,
        "name": u.name,
        "role": u.role,
        "clearance": u.clearance.label,
        "nationality": u.nationality,
        "caveats": sorted(u.caveats),
        "oidc_subject": u.oidc_subject,
        "quota": _quota(u.quota),
        "created_at": u.created_at,
        "disabled_at": u.disabled_at,
    }


def principal_view(p: Principal) -> dict[str, Any]:
    return {
        "object": "principal",
        "user": p.user_id,
        "name": p.name,
        "role": p.role,
        "organisation": p.organisation,
        "organisation_nation": p.organisation_nation,
        "organisation_groups": sorted(p.organisation_groups),
        "operator": p.operator,
        "nationality": p.nationality,
        "clearance": p.clearance.label,
        "caveats": sorted(p.caveats),
        "key_id": p.key_id,
        "oidc_subject": p.subject,
    }


def _model_view(r: ModelRecord) -> dict[str, Any]:
    return {
        "object": "model",
        "id": r.name,
        "engine": r.engine,
        "license": r.license,
        "use_policy": r.use_policy,
        "origin": r.origin,
        "sha256": r.sha256,
        "builtin": r.builtin,
        "eligibility": r.eligibility.tokens(),
    }


def admin_router(services: Services, caller: Any) -> APIRouter:
    """``caller`` is the authentication dependency of the app (``Depends(principal)``)."""
    router = APIRouter()
    identity, keys = services.identity, services.keys

    @router.get("/v1/me")
    async def me(who: Principal = caller) -> dict[str, Any]:
        return principal_view(who)

    # -- organisations --------------------------------------------------------------------------
    @router.get("/v1/admin/organisations")
    def list_organisations(who: Principal = caller) -> dict[str, Any]:
        return {"object": "list", "data": [organisation_view(o) for o in identity.organisations(who)]}

    @router.post("/v1/admin/organisations", status_code=201)
    def create_organisation(body: OrganisationCreate, who: Principal = caller) -> dict[str, Any]:
        org = identity.create_organisation(
            who, body.id, name=body.name, nation=body.nation, groups=body.groups, quota=body.quota()
        )
        return organisation_view(org)

    @router.get("/v1/admin/organisations/{org_id}")
    def get_organisation(org_id: str, who: Principal = caller) -> dict[str, Any]:
        return organisation_view(identity.organisation(who, org_id))

    @router.patch("/v1/admin/organisations/{org_id}")
    def update_organisation(org_id: str, body: OrganisationPatch, who: Principal = caller) -> dict[str, Any]:
        return organisation_view(identity.update_organisation(who, org_id, body.model_dump(exclude_unset=True)))

    # -- people ---------------------------------------------------------------------------------
    @router.get("/v1/admin/users")
    def list_users(organisation: str | None = None, who: Principal = caller) -> dict[str, Any]:
        return {"object": "list", "data": [user_view(u) for u in identity.users(who, organisation)]}

    @router.post("/v1/admin/users", status_code=201)
    def create_user(body: UserCreate, who: Principal = caller) -> dict[str, Any]:
        user = identity.create_user(
            who,
            body.id,
            organisation=body.organisation,
            role=body.role,
            name=body.name,
            clearance=body.clearance,
            nationality=body.nationality,
            caveats=body.caveats,
            quota=body.quota(),
        )
        return user_view(user)

    @router.get("/v1/admin/users/{user_id}")
    def get_user(user_id: str, who: Principal = caller) -> dict[str, Any]:
        return user_view(identity.user(who, user_id))

    @router.patch("/v1/admin/users/{user_id}")
    def update_user(user_id: str, body: UserPatch, who: Principal = caller) -> dict[str, Any]:
        return user_view(identity.update_user(who, user_id, body.model_dump(exclude_unset=True)))

    # -- keys -----------------------------------------------------------------------------------
    def key_view(row: Any) -> dict[str, Any]:
        return {
            "object": "api_key",
            "id": row.id,
            "prefix": f"gsk_{row.id}_",
            "user": row.user_id,
            "name": row.name,
            "created_at": row.created_at,
            "expires_at": row.expires_at,
            "revoked_at": row.revoked_at,
            "last_used_at": row.last_used_at,
        }

    @router.get("/v1/admin/keys")
    def list_keys(user: str | None = None, organisation: str | None = None, who: Principal = caller) -> dict[str, Any]:
        rows = keys.list(who, user_id=user, organisation=organisation)
        return {"object": "list", "data": [key_view(r) for r in rows]}

    @router.post("/v1/admin/keys", status_code=201)
    def create_key(body: KeyCreate, who: Principal = caller) -> dict[str, Any]:
        created = keys.create(who, body.user or who.user_id, body.name, body.expires_in_days)
        return {
            "object": "api_key",
            "id": created.id,
            "key": created.key,  # shown once
            "user": created.user_id,
            "name": created.name,
            "expires_at": created.expires_at,
        }

    @router.patch("/v1/admin/keys/{key_id}")
    def expire_key(key_id: str, body: KeyPatch, who: Principal = caller) -> dict[str, Any]:
        return key_view(keys.expire(who, key_id, body.expires_at))

    @router.delete("/v1/admin/keys/{key_id}")
    def revoke_key(key_id: str, who: Principal = caller) -> dict[str, Any]:
        return key_view(keys.revoke(who, key_id))

    # -- models and usage -----------------------------------------------------------------------
    @router.get("/v1/admin/models")
    def catalog(who: Principal = caller) -> dict[str, Any]:
        return {"object": "list", "data": [_model_view(r) for r in services.models.catalog(who)]}

    @router.put("/v1/admin/models/{name}/eligibility")
    def set_eligibility(name: str, body: EligibilityBody, who: Principal = caller) -> dict[str, Any]:
        return _model_view(services.models.set_eligibility(who, name, body.eligibility))

    @router.get("/v1/admin/usage")
    def usage(
        since: str,
        by: str = "organisation",
        until: str | None = None,
        organisation: str | None = None,
        who: Principal = caller,
    ) -> dict[str, Any]:
        dims = [b.strip() for b in by.split(",") if b.strip()]
        rows = services.usage.report(who, dims, since=since, until=until, organisation=organisation)
        data = [
            {
                **row.group,
                "requests": row.count.requests,
                "prompt_tokens": row.count.prompt_tokens,
                "completion_tokens": row.count.completion_tokens,
                "total_tokens": row.count.total_tokens,
            }
            for row in rows
        ]
        return {"object": "list", "by": dims, "data": data}

    return router
