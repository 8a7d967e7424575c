"""The privacy API for other systems in the enclave: analyze, pseudonymize, reidentify, and each
organisation's privacy policy. Translation only: the service decides and audits."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from garrison.api.schemas import organisation_of
from garrison.core.privacy import Operator, PrivacyNote, PrivacyPolicy
from garrison.core.types import Principal
from garrison.service.container import Services
from garrison.service.privacy import MAX_TEXT, policy_dict, spans_json


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnalyzeBody(_Strict):
    text: str = Field(max_length=MAX_TEXT)
    language: str | None = Field(default=None, description="en, fr, it, de, or auto (the default)")
    entities: list[str] | None = Field(default=None, description="types to look for; default: the policy's")
    score_threshold: float | None = Field(default=None, ge=0.0, le=1.0)


class PseudonymizeBody(AnalyzeBody):
    operator: Operator = Operator.PSEUDONYMIZE
    pseudonyms: str | None = Field(
        default=None, max_length=64, description="an earlier table's id: the same values keep their placeholders"
    )


class ReidentifyBody(_Strict):
    text: str = Field(max_length=MAX_TEXT)
    pseudonyms: str = Field(min_length=1, max_length=64)


def privacy_dict(note: PrivacyNote) -> dict[str, Any]:
    """The ``garrison.privacy`` object of a model's answer."""
    return {"pseudonyms": note.pseudonyms, "entities": note.entities, "restored": note.restored}


def _policy_body(organisation: str, policy: PrivacyPolicy) -> dict[str, Any]:
    return {"object": "privacy.policy", "organisation": organisation, **policy_dict(policy)}


def privacy_router(services: Services, caller: Any) -> APIRouter:
    router = APIRouter(prefix="/v1/privacy")
    privacy = services.privacy

    @router.post("/analyze")
    async def analyze(body: AnalyzeBody, who: Principal = caller) -> dict[str, Any]:
        found = await anyio.to_thread.run_sync(
            lambda: privacy.analyze(
                who, body.text, language=body.language, entities=body.entities, threshold=body.score_threshold
            )
        )
        return {"object": "privacy.analysis", "languages": list(found.languages), "entities": spans_json(found.spans)}

    @router.post("/pseudonymize")
    async def pseudonymize(body: PseudonymizeBody, who: Principal = caller) -> dict[str, Any]:
        done = await anyio.to_thread.run_sync(
            lambda: privacy.pseudonymize(
                who,
                body.text,
                operator=body.operator,
                pseudonyms=body.pseudonyms,
                language=body.language,
                entities=body.entities,
                threshold=body.score_threshold,
            )
        )
        return {
            "object": "privacy.pseudonymization",
            "text": done.text,
            "pseudonyms": done.pseudonyms,
            "operator": body.operator.value,
            "languages": list(done.languages),
            "items": [{"type": r.entity, "start": r.start, "end": r.end, "text": r.text} for r in done.replacements],
        }

    @router.post("/reidentify")
    async def reidentify(body: ReidentifyBody, who: Principal = caller) -> dict[str, Any]:
        text, count = await anyio.to_thread.run_sync(lambda: privacy.reidentify(who, body.text, body.pseudonyms))
        return {"object": "privacy.reidentification", "text": text, "restored": count}

    @router.get("/policy")
    async def get_policy(organisation: str | None = None, who: Principal = caller) -> dict[str, Any]:
        org = organisation_of(organisation, who)
        return _policy_body(org, privacy.get_policy(who, org))

    @router.patch("/policy")
    async def set_policy(
        body: dict[str, Any], organisation: str | None = None, who: Principal = caller
    ) -> dict[str, Any]:
        org = organisation_of(organisation, who)
        return _policy_body(org, privacy.set_policy(who, org, body))

    return router
