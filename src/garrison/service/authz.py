"""Every decision of the service layer: ``decide`` from the policy, then an audit event.

Use-cases call :meth:`Authoriser.require` (refusal -> 403 with the reasons) or, to filter what a
caller may see, :meth:`Authoriser.allows`. Both write an :class:`AccessEvent`, allowed or refused,
unless the use-case writes its own typed event for the whole operation (``audited=False``: model
calls, searches), which then carries the decision."""

from __future__ import annotations

from collections.abc import Mapping

from garrison.core.clock import Clock
from garrison.core.errors import PermissionDenied
from garrison.core.events import AccessEvent, AuditEvent, AuditSink, current_scope
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
        *,
        audited: bool = True,
        quiet: bool = False,
    ) -> Decision:
        """``audited=False``: the caller records the whole operation; ``quiet``: only a refusal is
        recorded here (the operation's own event follows when it goes ahead)."""
        decision = decide(principal, action, resource)
        if audited and not (quiet and decision.allowed):
            self.record(principal, action, resource, operation, decision, details)
        return decision

    def require(
        self,
        principal: Principal,
        action: Action,
        resource: Resource,
        operation: str,
        details: Mapping[str, object] | None = None,
        *,
        audited: bool = True,
        quiet: bool = False,
    ) -> Decision:
        decision = self.allows(principal, action, resource, operation, details, audited=audited, quiet=quiet)
        return self.enforce(decision, operation)

    @staticmethod
    def enforce(decision: Decision, operation: str) -> Decision:
        """Raise the 403 of a refusal (with its reasons); return an allowed decision."""
        if not decision.allowed:
            code = "model_not_eligible" if decision.rule == "eligibility" else "permission_denied"
            raise PermissionDenied(f"{operation} refused: {'; '.join(decision.reasons)}", code=code)
        return decision

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
            AccessEvent(
                at=self._clock.now(),
                action=action.value,
                operation=operation,
                actor=principal.actor,
                organisation=principal.organisation,
                resource=f"{resource.kind}:{resource.id or '*'}",
                allowed=decision.allowed,
                reasons=decision.reasons,
                request_id=request_id(),
                details=dict(details or {}),
            )
        )

    def emit(self, event: AuditEvent) -> None:
        """A use-case's own typed event (built with :meth:`now` and :func:`request_id`)."""
        self.audit.record(event)

    def now(self) -> float:
        return self._clock.now()


def request_id() -> str | None:
    scope = current_scope()
    return scope.request_id if scope is not None else None
