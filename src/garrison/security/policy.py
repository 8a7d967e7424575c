"""Every authorisation decision, in one pure, default-deny function (datasette's ``allowed()``).

``decide(principal, action, resource) -> Decision``: the service layer calls it for every
operation; routes never compare roles themselves. A decision carries human-readable reasons, for
the refusal message and for the audit record.

The rules, in order (the first that refuses wins):

1. the role must be known and its row in :data:`ROLE_ACTIONS` must hold the action;
2. scope: organisations and models are managed by the *operator* (the organisation running the
   deployment); a resource of another organisation is out of reach, except for the operator's
   members and only for administration and oversight (:data:`OPERATOR_REACH`), never for
   documents or clearances; the local console (the machine's operator) is not scoped;
3. a key of another person needs ``key.manage``;
4. nobody sets their own clearance, and a security officer grants at most what they hold;
5. a marked resource needs clearance, nationality in its releasability and every caveat (the
   console, which may never read a document, ingests and deletes marked ones without a clearance);
6. a model needs an eligibility that covers the caller's organisation;
7. a resource whose organisation names the roles that may act on it (``roles``: who may
   re-identify pseudonyms) refuses the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from garrison.core.markings import GROUPS, Marking
from garrison.core.types import CONSOLE, Eligibility, Principal

__all__ = [
    "OPERATOR_REACH",
    "ROLE_ACTIONS",
    "Action",
    "Decision",
    "Eligibility",
    "Resource",
    "decide",
    "groups_of",
]


class Action(StrEnum):
    MODEL_LIST = "model.list"
    MODEL_USE = "model.use"  # chat, completions, embeddings
    MODEL_MANAGE = "model.manage"  # register, remove, set eligibility
    KEY_OWN = "key.own"  # create, list, expire and revoke one's own keys
    KEY_MANAGE = "key.manage"  # the same for other people's keys
    ORG_READ = "org.read"
    ORG_MANAGE = "org.manage"  # create, change, disable organisations and their quotas
    USER_READ = "user.read"
    USER_MANAGE = "user.manage"  # create, change role and quotas, disable people
    CLEARANCE_SET = "clearance.set"  # clearances, nationalities, caveats of people
    DOCUMENT_READ = "document.read"
    DOCUMENT_INGEST = "document.ingest"
    DOCUMENT_DELETE = "document.delete"
    MARKING_SET = "marking.set"  # change a document's marking
    AUDIT_READ = "audit.read"
    USAGE_READ = "usage.read"
    PRIVACY_USE = "privacy.use"  # detect and pseudonymise text (the /v1/privacy API)
    PRIVACY_REIDENTIFY = "privacy.reidentify"  # restore pseudonyms: answers, tables of one's organisation
    PRIVACY_MANAGE = "privacy.manage"  # an organisation's privacy policy
    GUARD_MANAGE = "guard.manage"  # an organisation's acceptable-use (guard) policy
    GUARD_REVIEW = "guard.review"  # chunks flagged at ingestion: list, withhold or release


A = Action
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    "admin": frozenset({
        A.MODEL_LIST, A.MODEL_USE, A.MODEL_MANAGE, A.KEY_OWN, A.KEY_MANAGE, A.ORG_READ, A.ORG_MANAGE,
        A.USER_READ, A.USER_MANAGE, A.DOCUMENT_READ, A.DOCUMENT_INGEST, A.DOCUMENT_DELETE, A.USAGE_READ,
        A.PRIVACY_USE, A.PRIVACY_REIDENTIFY, A.PRIVACY_MANAGE, A.GUARD_MANAGE, A.GUARD_REVIEW,
    }),
    "security_officer": frozenset({
        A.MODEL_LIST, A.MODEL_USE, A.KEY_OWN, A.KEY_MANAGE, A.ORG_READ, A.USER_READ, A.CLEARANCE_SET,
        A.MARKING_SET, A.DOCUMENT_READ, A.DOCUMENT_INGEST, A.DOCUMENT_DELETE,
        A.PRIVACY_USE, A.PRIVACY_REIDENTIFY, A.PRIVACY_MANAGE, A.GUARD_MANAGE, A.GUARD_REVIEW,
    }),
    "analyst": frozenset({
        A.MODEL_LIST, A.MODEL_USE, A.KEY_OWN, A.DOCUMENT_READ, A.DOCUMENT_INGEST, A.PRIVACY_USE, A.PRIVACY_REIDENTIFY,
    }),
    "auditor": frozenset({A.MODEL_LIST, A.KEY_OWN, A.ORG_READ, A.USER_READ, A.AUDIT_READ, A.USAGE_READ}),
    # The local command line: whoever can run it can open the database anyway. It administers
    # everything but never uses a model or reads a document (it holds no clearance).
    CONSOLE: frozenset(set(Action) - {A.MODEL_USE, A.DOCUMENT_READ}),
}  # fmt: skip

OPERATOR_ONLY = frozenset({A.ORG_MANAGE, A.MODEL_MANAGE})
# What the operator's members may do to other organisations' resources: administration and
# oversight. Documents, markings and clearances stay with each organisation.
OPERATOR_REACH = frozenset(
    {A.ORG_READ, A.ORG_MANAGE, A.USER_READ, A.USER_MANAGE, A.KEY_MANAGE, A.AUDIT_READ, A.USAGE_READ}
)
SHARED = frozenset({A.MODEL_LIST, A.MODEL_USE})  # models are shared by eligibility, not ownership


@dataclass(frozen=True, slots=True)
class Resource:
    kind: str  # "model", "document", "key", "organisation", "user", "audit", "usage", "system"
    id: str | None = None
    organisation: str | None = None  # owning organisation; None: the deployment itself
    marking: Marking | None = None  # documents and chunks
    eligibility: Eligibility | None = None  # models
    owner: str | None = None  # keys: the user who holds it
    grant: Marking | None = None  # clearance.set: the clearance and caveats being granted
    roles: frozenset[str] | None = None  # the roles the owning organisation lets act on it (None: any)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reasons: tuple[str, ...] = field(default=())
    rule: str = ""  # which rule refused: role, scope, own_key, clearance_grant, marking, eligibility

    def __bool__(self) -> bool:
        return self.allowed


def _deny(*reasons: str, rule: str) -> Decision:
    return Decision(False, reasons, rule)


def groups_of(nation: str | None, declared: frozenset[str] = frozenset()) -> frozenset[str]:
    """An organisation's groups: those it declares, those its nation belongs to, and the body it is."""
    out = set(declared)
    if nation is not None:
        out.update(name for name, members in GROUPS.items() if nation in members)
        if nation in GROUPS:
            out.add(nation)
    return frozenset(out)


def decide(principal: Principal, action: Action, resource: Resource) -> Decision:
    """Allowed only when a rule allows it; every refusal says why."""
    allowed_actions = ROLE_ACTIONS.get(principal.role)
    if allowed_actions is None:
        return _deny(f"unknown role {principal.role!r}", rule="role")
    if action not in allowed_actions:
        return _deny(f"the role {principal.role} may not {action.value}", rule="role")
    for rule in (_scope, _own_keys, _clearance_grant, _marking, _eligibility, _owner_roles):
        refusal = rule(principal, action, resource)
        if refusal is not None:
            return refusal
    return Decision(True, (f"{principal.role} may {action.value}",))


def _scope(p: Principal, action: Action, r: Resource) -> Decision | None:
    if p.role == CONSOLE or action in SHARED:
        return None
    if action in OPERATOR_ONLY and not p.operator:
        return _deny(f"only the operator's administrators may {action.value}", rule="scope")
    if r.organisation is None:
        if not p.operator:
            return _deny(
                f"this {r.kind} belongs to the deployment: only the operator's members may {action.value} it",
                rule="scope",
            )
        return None
    if r.organisation != p.organisation and not (p.operator and action in OPERATOR_REACH):
        return _deny(f"this {r.kind} belongs to another organisation", rule="scope")
    return None


def _own_keys(p: Principal, action: Action, r: Resource) -> Decision | None:
    if action is Action.KEY_OWN and r.owner != p.user_id:
        return _deny("a key of another person needs key.manage", rule="own_key")
    return None


def _clearance_grant(p: Principal, action: Action, r: Resource) -> Decision | None:
    if action is not Action.CLEARANCE_SET:
        return None
    if r.kind == "user" and r.id == p.user_id:
        return _deny("nobody may set their own clearance", rule="clearance_grant")
    grant = r.grant
    if grant is None or p.role == CONSOLE:
        return None
    reasons = []
    if grant.level > p.clearance:
        reasons.append(f"may not grant {grant.level.label}, above their own clearance {p.clearance.label}")
    missing = grant.caveats - p.caveats
    if missing:
        reasons.append(f"may not grant caveat(s) {', '.join(sorted(missing))} they do not hold")
    return _deny(*reasons, rule="clearance_grant") if reasons else None


def _marking(p: Principal, action: Action, r: Resource) -> Decision | None:
    m = r.marking
    if m is None or p.role == CONSOLE:  # the console never reads (role table); it stores and removes
        return None
    reasons = []
    if p.clearance < m.level:
        reasons.append(f"clearance {p.clearance.label} is below {m.level.label}")
    if m.releasable_to is not None and (p.nationality or "") not in m.releasable_to:
        reasons.append(f"nationality {p.nationality or 'unknown'} is not in the releasability")
    missing = m.caveats - p.caveats
    if missing:
        reasons.append(f"missing caveat(s) {', '.join(sorted(missing))}")
    return _deny(*reasons, rule="marking") if reasons else None


def _owner_roles(p: Principal, action: Action, r: Resource) -> Decision | None:
    if r.roles is None or p.role == CONSOLE or p.role in r.roles:
        return None
    return _deny(f"the organisation's policy does not let a {p.role} {action.value}", rule="owner_roles")


def _eligibility(p: Principal, action: Action, r: Resource) -> Decision | None:
    if r.kind != "model" or action not in SHARED:
        return None
    e = r.eligibility
    if e is None:
        return _deny(f"model {r.id} has no eligibility set: nobody may use it", rule="eligibility")
    if e.everyone:
        return None
    if (
        (p.organisation is not None and p.organisation in e.organisations)
        or (p.organisation_nation is not None and p.organisation_nation in e.nations)
        or (p.organisation_groups & e.groups)
    ):
        return None
    return _deny(
        f"model {r.id} is released to {e.describe()}, not to {p.organisation or 'this caller'}"
        + (f" ({p.organisation_nation})" if p.organisation_nation else ""),
        rule="eligibility",
    )
