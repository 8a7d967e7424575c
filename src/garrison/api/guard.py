"""The guard API: each organisation's acceptable-use policy, and the chunks flagged at ingestion
for an officer's review. Translation only: the service decides and audits."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from garrison.api.schemas import organisation_of
from garrison.core.guard import CATEGORIES, Flag, GuardPolicy
from garrison.core.types import Principal
from garrison.service.container import Services
from garrison.service.guard import policy_dict


class ReviewBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["withhold", "release"]


def _policy_body(organisation: str, policy: GuardPolicy) -> dict[str, Any]:
    return {"object": "guard.policy", "organisation": organisation, "categories": CATEGORIES, **policy_dict(policy)}


def flag_dict(f: Flag) -> dict[str, Any]:
    return {
        "object": "guard.flag",
        "chunk_id": f.chunk_id,
        "document_id": f.document_id,
        "category": f.category,
        "score": f.score,
        "reasons": list(f.reasons),
        "flagged_at": int(f.flagged_at),
        "reviewed_by": f.reviewed_by,
        "decision": f.decision,
    }


def guard_router(services: Services, caller: Any) -> APIRouter:
    router = APIRouter(prefix="/v1/guard")
    guard = services.guard

    @router.get("/policy")
    async def get_policy(organisation: str | None = None, who: Principal = caller) -> dict[str, Any]:
        org = organisation_of(organisation, who)
        return _policy_body(org, guard.get_policy(who, org))

    @router.patch("/policy")
    async def set_policy(
        body: dict[str, Any], organisation: str | None = None, who: Principal = caller
    ) -> dict[str, Any]:
        org = organisation_of(organisation, who)
        return _policy_body(org, guard.set_policy(who, org, body))

    @router.get("/flags")
    async def flags(pending: bool = False, organisation: str | None = None, who: Principal = caller) -> dict[str, Any]:
        org = organisation_of(organisation, who)
        return {"object": "list", "data": [flag_dict(f) for f in guard.flags(who, org, pending=pending)]}

    @router.post("/flags/{chunk_id}")
    async def review(chunk_id: str, body: ReviewBody, who: Principal = caller) -> dict[str, Any]:
        return flag_dict(guard.review(who, chunk_id, body.decision))

    return router
