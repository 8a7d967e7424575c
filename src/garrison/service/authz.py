"""Every decision of the service layer: ``decide`` from the policy, then an audit event.

Use-cases call :meth:`Authoriser.require` (refusal -> 403 with the reasons) or, to filter what a
caller may see, :meth:`Authoriser.allows`. Both write the audit event, allowed or refused."""

from __future__ import annotations

from collections.abc import Mapping

from garrison.core.clock import Clock
from garrison.core.errors import PermissionDenied
from garrison.core.events import AuditEvent, AuditSink
from garrison.core.types import Principal
from garrison.security.policy import Action, Decision, Resource, decide


class Authoriser:
    def __init__(self, audit: AuditSink, clock: Clock) -> None:
        self.audit = audit
        self._clock = clock

    @staticmethod
    def may(principal: Principal, action: Action, resource: Resource) -> bool:
        """A probe that chooses between two scopes; the decision that follows is the one audited."""
        return decide(principal, action, resource).allowed

    def allows(
        self,
        principal: Principal,
        action: Action,
        resource: Resource,
        operation: str,
        details: Mapping[str, object] | None = None,
    ) -> Decision:
        decision = decide(principal, action, resource)
        self.record(principal, action, resource, operation, decision, details)
        return decision

    def require(
        self,
        principal: Principal,
        action: Action,
        resource: Resource,
        operation: str,
        details: Mapping[str, object] | None = None,
    ) -> None:
        decision = self.allows(principal, action, resource, operation, details)
        if not decision.allowed:
            code = "model_not_eligible" if decision.rule == "eligibility" else "permission_denied"
            raise PermissionDenied(f"{operation} refused: {'; '.join(decision.reasons)}", code=code)

    def record(
        self,
        principal: Principal,
        action: Action,
        resource: Resource,
        operation: str,
        decision: Decision,
        details: Mapping[str, object] | None = None,
    ) -> None:
        self.audit.record(
            AuditEvent(
                at=self._clock.now(),
                action=action.value,
                operation=operation,
                actor=principal.actor,
                organisation=principal.organisation,
                resource=f"{resource.kind}:{resource.id or '*'}",
                allowed=decision.allowed,
                reasons=decision.reasons,
                details=dict(details or {}),
            )
        )
