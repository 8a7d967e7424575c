"""decide(): every action x role, then each rule: scope, own keys, clearance grants, markings and
model eligibility, each refusal with its reason."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from garrison.core.markings import GROUPS, Level, Marking
from garrison.core.types import CONSOLE, Eligibility, Principal
from garrison.security.policy import ROLE_ACTIONS, Action, Decision, Resource, decide, groups_of

A = Action
EXPECTED: dict[str, set[Action]] = {
    "admin": {
        A.MODEL_LIST, A.MODEL_USE, A.MODEL_MANAGE, A.KEY_OWN, A.KEY_MANAGE, A.ORG_READ, A.ORG_MANAGE,
        A.USER_READ, A.USER_MANAGE, A.DOCUMENT_READ, A.DOCUMENT_INGEST, A.DOCUMENT_DELETE, A.USAGE_READ,
        A.PRIVACY_USE, A.PRIVACY_REIDENTIFY, A.PRIVACY_MANAGE, A.GUARD_MANAGE, A.GUARD_REVIEW,
    },
    "security_officer": {
        A.MODEL_LIST, A.MODEL_USE, A.KEY_OWN, A.KEY_MANAGE, A.ORG_READ, A.USER_READ, A.CLEARANCE_SET,
        A.MARKING_SET, A.DOCUMENT_READ, A.DOCUMENT_INGEST, A.DOCUMENT_DELETE,
        A.PRIVACY_USE, A.PRIVACY_REIDENTIFY, A.PRIVACY_MANAGE, A.GUARD_MANAGE, A.GUARD_REVIEW,
    },
    "analyst": {
        A.MODEL_LIST, A.MODEL_USE, A.KEY_OWN, A.DOCUMENT_READ, A.DOCUMENT_INGEST, A.PRIVACY_USE, A.PRIVACY_REIDENTIFY,
    },
    "auditor": {A.MODEL_LIST, A.KEY_OWN, A.ORG_READ, A.USER_READ, A.AUDIT_READ, A.USAGE_READ},
    CONSOLE: set(Action) - {A.MODEL_USE, A.DOCUMENT_READ},
}  # fmt: skip

OPEN_MODEL = Eligibility(everyone=True)


def who(role: str, **kw: object) -> Principal:
    base: dict[str, object] = {
        "user_id": "p",
        "name": "p",
        "role": role,
        "organisation": "mod-it",
        "organisation_nation": "ITA",
        "organisation_groups": groups_of("ITA"),
        "nationality": "ITA",
        "clearance": Level.SECRET,
    }
    base.update(kw)
    return Principal(**base)  # type: ignore[arg-type]


def in_scope(action: Action) -> Resource:
    """A resource every rule but the role table lets through, for a principal of mod-it."""
    if action in (A.MODEL_LIST, A.MODEL_USE, A.MODEL_MANAGE):
        return Resource("model", "llama", eligibility=OPEN_MODEL)
    if action is A.KEY_OWN:
        return Resource("key", "k1", "mod-it", owner="p")
    if action is A.CLEARANCE_SET:
        return Resource("user", "someone-else", "mod-it")
    return Resource("system", organisation="mod-it")


@pytest.mark.parametrize("role", sorted(EXPECTED))
@pytest.mark.parametrize("action", list(Action))
def test_every_action_for_every_role(role: str, action: Action) -> None:
    operator_member = who(role, operator=True)  # the operator: no scope rule stands in the way
    decision = decide(operator_member, action, in_scope(action))
    assert decision.allowed == (action in EXPECTED[role]), decision.reasons
    assert decision.reasons  # allowed or not, it says why
    if not decision.allowed:
        assert action.value in decision.reasons[0] and decision.rule == "role"


def test_the_table_is_the_policy() -> None:
    assert {r: set(a) for r, a in ROLE_ACTIONS.items()} == EXPECTED


def test_default_deny() -> None:
    d = decide(who("intern"), A.MODEL_LIST, in_scope(A.MODEL_LIST))
    assert d == Decision(False, ("unknown role 'intern'",), "role") and not d
    assert not decide(who("admin"), A.MODEL_USE, Resource("model", "new-model"))  # no eligibility: nobody
    assert not decide(who("user"), A.MODEL_LIST, in_scope(A.MODEL_LIST))  # the old role is gone


# -- scope: (principal, action, resource) -> the reason it is refused, or "" when allowed ------------
OTHER_ORG = Resource("user", "jean", "dga-fr")
DEPLOYMENT = Resource("usage", None, None)
SCOPE_CASES = [
    ("org admin manages own people", who("admin"), A.USER_MANAGE, Resource("user", "u", "mod-it"), ""),
    ("org admin, another org", who("admin"), A.USER_MANAGE, OTHER_ORG, "another organisation"),
    ("operator admin, another org", who("admin", operator=True), A.USER_MANAGE, OTHER_ORG, ""),
    ("org admin cannot manage orgs", who("admin"), A.ORG_MANAGE, Resource("organisation", "mod-it", "mod-it"),
     "only the operator's administrators"),
    ("operator admin manages orgs", who("admin", operator=True), A.ORG_MANAGE, Resource("organisation", "x"), ""),
    ("org admin cannot register models", who("admin"), A.MODEL_MANAGE, Resource("model", "m"),
     "only the operator's administrators"),
    ("org auditor, deployment usage", who("auditor"), A.USAGE_READ, DEPLOYMENT, "belongs to the deployment"),
    ("org auditor, own usage", who("auditor"), A.USAGE_READ, Resource("usage", None, "mod-it"), ""),
    ("operator auditor, deployment usage", who("auditor", operator=True), A.USAGE_READ, DEPLOYMENT, ""),
    ("operator auditor, another org's usage", who("auditor", operator=True), A.USAGE_READ,
     Resource("usage", None, "dga-fr"), ""),
    ("operator officer never sets another org's clearances", who("security_officer", operator=True),
     A.CLEARANCE_SET, OTHER_ORG, "another organisation"),
    ("operator analyst never reads another org's documents", who("analyst", operator=True), A.DOCUMENT_READ,
     Resource("document", "d", "dga-fr", marking=Marking(Level.UNCLASSIFIED)), "another organisation"),
    ("console reaches every organisation", who(CONSOLE, organisation=None, operator=True), A.CLEARANCE_SET,
     OTHER_ORG, ""),
    ("console never uses a model", who(CONSOLE, organisation=None, operator=True), A.MODEL_USE,
     Resource("model", "m", eligibility=OPEN_MODEL), "may not model.use"),
    ("no organisation, no reach", who("admin", organisation=None), A.USER_MANAGE, Resource("user", "u", "mod-it"),
     "another organisation"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "principal", "action", "resource", "reason"), SCOPE_CASES, ids=[c[0] for c in SCOPE_CASES]
)
def test_scope(case: str, principal: Principal, action: Action, resource: Resource, reason: str) -> None:
    d = decide(principal, action, resource)
    assert d.allowed == (reason == ""), d.reasons
    assert reason in " ".join(d.reasons)


def test_own_keys_need_no_key_manage_but_others_do() -> None:
    analyst = who("analyst")
    assert decide(analyst, A.KEY_OWN, Resource("key", "k", "mod-it", owner="p"))
    d = decide(analyst, A.KEY_OWN, Resource("key", "k", "mod-it", owner="someone-else"))
    assert not d and d.reasons == ("a key of another person needs key.manage",)


@pytest.mark.parametrize(
    ("officer", "grant", "target", "reason"),
    [
        ({}, Marking(Level.SECRET), "u2", ""),
        ({}, Marking(Level.TOP_SECRET), "u2", "may not grant TOP SECRET, above their own clearance SECRET"),
        ({}, Marking(Level.CONFIDENTIAL, None, frozenset({"ATOMAL"})), "u2", "may not grant caveat(s) ATOMAL"),
        ({"caveats": frozenset({"ATOMAL"})}, Marking(Level.SECRET, None, frozenset({"ATOMAL"})), "u2", ""),
        ({}, Marking(Level.UNCLASSIFIED), "p", "nobody may set their own clearance"),
    ],
)
def test_clearance_grants(officer: dict[str, object], grant: Marking, target: str, reason: str) -> None:
    d = decide(who("security_officer", **officer), A.CLEARANCE_SET, Resource("user", target, "mod-it", grant=grant))
    assert d.allowed == (reason == ""), d.reasons
    assert reason in " ".join(d.reasons)
    console = who(CONSOLE, organisation=None, clearance=Level.UNCLASSIFIED, operator=True)
    assert decide(console, A.CLEARANCE_SET, Resource("user", "u2", "mod-it", grant=Marking(Level.TOP_SECRET)))


@pytest.mark.parametrize(
    ("marking", "kw", "allowed", "reason"),
    [
        (Marking(Level.SECRET, frozenset({"ITA", "USA"})), {}, True, ""),
        (Marking(Level.TOP_SECRET), {}, False, "clearance SECRET is below TOP SECRET"),
        (Marking(Level.SECRET, frozenset({"USA"})), {}, False, "nationality ITA is not in the releasability"),
        (Marking(Level.SECRET, None, frozenset({"ATOMAL"})), {}, False, "missing caveat(s) ATOMAL"),
        (Marking(Level.SECRET, None, frozenset({"ATOMAL"})), {"caveats": frozenset({"ATOMAL"})}, True, ""),
        (Marking(Level.RESTRICTED, frozenset({"USA"})), {"nationality": None}, False, "nationality unknown"),
    ],
)
def test_documents_by_marking(marking: Marking, kw: dict[str, object], allowed: bool, reason: str) -> None:
    d = decide(who("analyst", **kw), A.DOCUMENT_READ, Resource("document", "d", "mod-it", marking=marking))
    assert d.allowed == allowed
    assert reason in " ".join(d.reasons)


def caller(org: str, nation: str | None, declared: frozenset[str] = frozenset()) -> Principal:
    return who("analyst", organisation=org, organisation_nation=nation, organisation_groups=groups_of(nation, declared))


@pytest.mark.parametrize(
    ("eligibility", "principal", "allowed"),
    [
        (Eligibility(groups=frozenset({"NATO"})), caller("dga-fr", "FRA"), True),  # FRA is a NATO member
        (Eligibility(nations=frozenset({"USA"})), caller("dga-fr", "FRA"), False),
        (Eligibility(nations=frozenset({"USA"})), caller("dod-us", "USA"), True),
        (Eligibility(groups=frozenset({"FVEY"})), caller("mod-uk", "GBR"), True),
        (Eligibility(groups=frozenset({"FVEY"})), caller("dga-fr", "FRA"), False),
        (Eligibility(groups=frozenset({"NATO"})), caller("ncia", "NATO"), True),  # the body itself
        (Eligibility(groups=frozenset({"EU"})), caller("ncia", "NATO"), False),
        (Eligibility(groups=frozenset({"EU"})), caller("agency", None, frozenset({"EU"})), True),  # declared
        (Eligibility(organisations=frozenset({"dga-fr"})), caller("dga-fr", "FRA"), True),
        (Eligibility(organisations=frozenset({"dga-fr"})), caller("mod-it", "ITA"), False),
        (Eligibility(everyone=True), caller("anyone", None), True),
        (Eligibility(), caller("dod-us", "USA"), False),  # nobody
    ],
)
def test_model_eligibility(eligibility: Eligibility, principal: Principal, allowed: bool) -> None:
    d = decide(principal, A.MODEL_USE, Resource("model", "llama-x", eligibility=eligibility))
    assert d.allowed == allowed, d.reasons
    if not allowed:
        assert d.rule == "eligibility" and "llama-x is released to" in d.reasons[0]
        assert principal.organisation is not None and principal.organisation in d.reasons[0]


markings = st.builds(
    Marking,
    st.sampled_from(list(Level)),
    st.one_of(st.none(), st.frozensets(st.sampled_from(sorted(GROUPS["NATO"])[:8]))),
    st.frozensets(st.sampled_from(["SI", "TK", "ATOMAL"])),
)


@given(markings, st.sampled_from(list(Level)), st.sampled_from(sorted(GROUPS["NATO"])[:8]))
def test_policy_agrees_with_the_marking_rules(m: Marking, clearance: Level, nation: str) -> None:
    p = who("analyst", clearance=clearance, nationality=nation)
    d = decide(p, A.DOCUMENT_READ, Resource("document", "d", "mod-it", marking=m))
    assert d.allowed == m.readable_by(clearance, nation, frozenset())


@given(st.sampled_from(list(Level)), st.sampled_from(list(Level)), st.frozensets(st.sampled_from(["SI", "TK"])))
def test_an_officer_never_grants_more_than_they_hold(own: Level, granted: Level, caveats: frozenset[str]) -> None:
    officer = who("security_officer", clearance=own, caveats=frozenset({"SI"}))
    d = decide(officer, A.CLEARANCE_SET, Resource("user", "u2", "mod-it", grant=Marking(granted, None, caveats)))
    assert d.allowed == (granted <= own and caveats <= {"SI"})
