"""Every authorisation decision, in one pure, default-deny function (datasette's ``allowed()``).

``decide(principal, action, resource) -> Decision``: the service layer calls it for every
operation; routes never compare roles themselves. A decision carries human-readable reasons, for
the refusal message and for the audit record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from garrison.core.markings import Marking
from garrison.core.types import Principal


class Action(StrEnum):
    MODEL_LIST = "model.list"
    MODEL_USE = "model.use"  # chat, completions, embeddings
    MODEL_MANAGE = "model.manage"  # register, remove, set eligibility
    KEY_CREATE_OWN = "key.create_own"
    KEY_MANAGE = "key.manage"  # create for others, list, expire, revoke any key of the organisation
    ORG_MANAGE = "org.manage"
    USER_MANAGE = "user.manage"
    CLEARANCE_SET = "clearance.set"  # clearances, nationalities, caveats of people
    DOCUMENT_READ = "document.read"
    DOCUMENT_INGEST = "document.ingest"
    DOCUMENT_DELETE = "document.delete"
    MARKING_SET = "marking.set"  # change a document's marking
    AUDIT_READ = "audit.read"
    USAGE_READ = "usage.read"


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    "admin": frozenset(
        {
            Action.MODEL_LIST,
            Action.MODEL_USE,
            Action.MODEL_MANAGE,
            Action.KEY_CREATE_OWN,
            Action.KEY_MANAGE,
            Action.ORG_MANAGE,
            Action.USER_MANAGE,
            Action.DOCUMENT_READ,
            Action.DOCUMENT_INGEST,
            Action.DOCUMENT_DELETE,
            Action.USAGE_READ,
        }
    ),
    "security_officer": frozenset(
        {
            Action.MODEL_LIST,
            Action.MODEL_USE,
            Action.KEY_CREATE_OWN,
            Action.CLEARANCE_SET,
            Action.MARKING_SET,
            Action.DOCUMENT_READ,
            Action.DOCUMENT_INGEST,
            Action.DOCUMENT_DELETE,
            Action.KEY_MANAGE,
        }
    ),
    "analyst": frozenset(
        {Action.MODEL_LIST, Action.MODEL_USE, Action.KEY_CREATE_OWN, Action.DOCUMENT_READ, Action.DOCUMENT_INGEST}
    ),
    "auditor": frozenset({Action.MODEL_LIST, Action.AUDIT_READ, Action.USAGE_READ, Action.KEY_CREATE_OWN}),
}
# The bootstrap key of this release has role "user": the analyst's rights.
ROLE_ACTIONS["user"] = ROLE_ACTIONS["analyst"]


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Who may use a model. ``everyone`` only when nothing is listed and it is set explicitly."""

    everyone: bool = False
    nations: frozenset[str] = frozenset()
    organisations: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Resource:
    kind: str  # "model", "document", "key", "organisation", "user", "audit", "usage", "system"
    id: str | None = None
    organisation: str | None = None  # owning organisation; None: the deployment itself
    marking: Marking | None = None  # documents and chunks
    eligibility: Eligibility | None = None  # models
    owner: str | None = None  # keys: the key id of the owner


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reasons: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.allowed


def _deny(*reasons: str) -> Decision:
    return Decision(False, reasons)


def decide(principal: Principal, action: Action, resource: Resource) -> Decision:
    """Allowed only when a rule allows it; every refusal says why."""
    allowed_actions = ROLE_ACTIONS.get(principal.role)
    if allowed_actions is None:
        return _deny(f"unknown role {principal.role!r}")
    if action not in allowed_actions:
        return _deny(f"the role {principal.role} may not {action.value}")
    if (
        resource.organisation is not None
        and principal.organisation != resource.organisation
        and resource.kind != "model"  # models are shared by eligibility, below
    ):
        return _deny(f"this {resource.kind} belongs to another organisation")

    if resource.marking is not None:
        m = resource.marking
        reasons = []
        if principal.clearance < m.level:
            reasons.append(f"clearance {principal.clearance.label} is below {m.level.label}")
        if m.releasable_to is not None and (principal.nationality or "") not in m.releasable_to:
            reasons.append(f"nationality {principal.nationality or 'unknown'} is not in the releasability")
        missing = m.caveats - principal.caveats
        if missing:
            reasons.append(f"missing caveat(s) {', '.join(sorted(missing))}")
        if reasons:
            return _deny(*reasons)

    if resource.kind == "model" and action in (Action.MODEL_USE, Action.MODEL_LIST):
        eligibility = resource.eligibility
        if eligibility is None:
            return _deny(f"model {resource.id} has no eligibility set: nobody may use it")
        if not eligibility.everyone and not (
            (principal.nationality is not None and principal.nationality in eligibility.nations)
            or (principal.organisation is not None and principal.organisation in eligibility.organisations)
            or (principal.organisation_groups & eligibility.groups)
        ):
            return _deny(f"model {resource.id} is not released to {principal.organisation or 'this caller'}")

    if action is Action.KEY_CREATE_OWN and resource.owner not in (None, principal.key_id):
        return _deny("a key may only be created for oneself without key.manage")
    return Decision(True, (f"{principal.role} may {action.value}",))
