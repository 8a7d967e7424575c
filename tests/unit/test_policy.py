"""decide(): every action x role, then organisation scoping, markings and model eligibility."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from garrison.core.markings import GROUPS, Level, Marking
from garrison.core.types import Principal
from garrison.security.policy import ROLE_ACTIONS, Action, Decision, Eligibility, Resource, decide

A = Action
EXPECTED: dict[str, set[Action]] = {
    "admin": {
        A.MODEL_LIST, A.MODEL_USE, A.MODEL_MANAGE, A.KEY_CREATE_OWN, A.KEY_MANAGE, A.ORG_MANAGE,
        A.USER_MANAGE, A.DOCUMENT_READ, A.DOCUMENT_INGEST, A.DOCUMENT_DELETE, A.USAGE_READ,
    },
    "security_officer": {
        A.MODEL_LIST, A.MODEL_USE, A.KEY_CREATE_OWN, A.KEY_MANAGE, A.CLEARANCE_SET, A.MARKING_SET,
        A.DOCUMENT_READ, A.DOCUMENT_INGEST, A.DOCUMENT_DELETE,
    },
    "analyst": {A.MODEL_LIST, A.MODEL_USE, A.KEY_CREATE_OWN, A.DOCUMENT_READ, A.DOCUMENT_INGEST},
    "auditor": {A.MODEL_LIST, A.AUDIT_READ, A.USAGE_READ, A.KEY_CREATE_OWN},
}  # fmt: skip

OPEN_MODEL = Eligibility(everyone=True)


def who(role: str, **kw: object) -> Principal:
    base: dict[str, object] = {
        "key_id": "k1",
        "name": "p",
        "role": role,
        "organisation": "mod-it",
        "nationality": "ITA",
        "clearance": Level.SECRET,
        "organisation_groups": frozenset({"NATO", "EU"}),
    }
    base.update(kw)
    return Principal(**base)  # type: ignore[arg-type]


def resource_for(action: Action) -> Resource:
    if action in (A.MODEL_LIST, A.MODEL_USE, A.MODEL_MANAGE):
        return Resource("model", "llama", eligibility=OPEN_MODEL)
    return Resource("system", organisation="mod-it")


@pytest.mark.parametrize("role", sorted(EXPECTED))
@pytest.mark.parametrize("action", list(Action))
def test_every_action_for_every_role(role: str, action: Action) -> None:
    decision = decide(who(role), action, resource_for(action))
    assert decision.allowed == (action in EXPECTED[role]), decision.reasons
    assert decision.reasons  # allowed or not, it says why
    if not decision.allowed:
        assert action.value in decision.reasons[0]


def test_the_table_is_the_policy() -> None:
    assert {r: set(a) for r, a in ROLE_ACTIONS.items() if r != "user"} == EXPECTED


def test_default_deny() -> None:
    d = decide(who("intern"), A.MODEL_LIST, resource_for(A.MODEL_LIST))
    assert d == Decision(False, ("unknown role 'intern'",)) and not d
    no_eligibility = Resource("model", "new-model")
    assert not decide(who("admin"), A.MODEL_USE, no_eligibility)


def test_other_organisations_are_out_of_reach() -> None:
    theirs = Resource("document", "d1", organisation="mod-fr", marking=Marking(Level.UNCLASSIFIED))
    d = decide(who("admin"), A.DOCUMENT_READ, theirs)
    assert not d and "another organisation" in d.reasons[0]
    assert not decide(who("admin", organisation=None), A.USER_MANAGE, Resource("user", organisation="mod-it"))


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


def test_model_eligibility_by_nation_organisation_and_group() -> None:
    nato_only = Resource("model", "llama-70b", eligibility=Eligibility(groups=frozenset({"NATO"})))
    usa_only = Resource("model", "llama-us", eligibility=Eligibility(nations=frozenset({"USA"})))
    french_analyst = who("analyst", organisation="dga", nationality="FRA", organisation_groups=frozenset({"NATO"}))
    assert decide(french_analyst, A.MODEL_USE, nato_only)
    refused = decide(french_analyst, A.MODEL_USE, usa_only)
    assert not refused and "llama-us" in refused.reasons[0]
    by_org = Resource("model", "m", eligibility=Eligibility(organisations=frozenset({"dga"})))
    assert decide(french_analyst, A.MODEL_USE, by_org)
    assert not decide(who("analyst", organisation_groups=frozenset()), A.MODEL_USE, usa_only)


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
