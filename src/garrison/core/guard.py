"""Guardrails: what a guard says about a text (:class:`Verdict`) and what an organisation wants
done per category (:class:`GuardPolicy`). ``check(text) -> Verdict`` then the policy decides."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class GuardAction(StrEnum):
    ALLOW = "allow"
    WARN = "warn"  # goes ahead; the verdict is audited and returned to the caller
    BLOCK = "block"


# The MLCommons AI Luminate hazard taxonomy as Llama Guard 3 numbers it, then our own categories.
HAZARDS: dict[str, str] = {
    "S1": "Violent Crimes",
    "S2": "Non-Violent Crimes",
    "S3": "Sex-Related Crimes",
    "S4": "Child Sexual Exploitation",
    "S5": "Defamation",
    "S6": "Specialized Advice",
    "S7": "Privacy",
    "S8": "Intellectual Property",
    "S9": "Indiscriminate Weapons",
    "S10": "Hate",
    "S11": "Suicide & Self-Harm",
    "S12": "Sexual Content",
    "S13": "Elections",
    "S14": "Code Interpreter Abuse",
}
ATTACKS: dict[str, str] = {
    "injection": "Prompt injection: instructions that try to override or reveal the system's own",
    "indirect_injection": "Instructions hidden in a document, aimed at the model that reads it",
    "jailbreak": "Role-play or framing meant to get around the model's rules",
}
CUSTOM: dict[str, str] = {
    "surveillance": "Surveillance or profiling of named private individuals",
    "targeting": "Selecting people or places as targets for attack or coercion",
}
CATEGORIES: dict[str, str] = {**ATTACKS, **HAZARDS, **CUSTOM}


def _defaults() -> dict[str, GuardAction]:
    actions = dict.fromkeys(CATEGORIES, GuardAction.BLOCK)
    actions["S5"] = GuardAction.WARN  # defamation and specialised advice: judged by people, flagged
    actions["S6"] = GuardAction.WARN
    return actions


@dataclass(frozen=True, slots=True)
class Verdict:
    """One guard's finding on one text. ``category`` is None for an allowed text."""

    action: GuardAction
    category: str | None = None
    reasons: tuple[str, ...] = ()
    score: float = 0.0
    guard: str = ""  # which guard: builtin, llama-guard:<model>

    @property
    def blocked(self) -> bool:
        return self.action is GuardAction.BLOCK


ALLOW = Verdict(GuardAction.ALLOW)


@dataclass(frozen=True, slots=True)
class GuardPolicy:
    """An organisation's choices: per category, block, warn or allow; and the score that counts."""

    actions: dict[str, GuardAction] = field(default_factory=_defaults)
    threshold: float | None = None  # None: the threshold set on the validation set
    output: bool = True  # check answers too (streams as they grow)
    documents: bool = True  # scan retrieved chunks and withhold those carrying instructions

    def action(self, category: str) -> GuardAction:
        return self.actions.get(category, GuardAction.BLOCK)


@dataclass(frozen=True, slots=True)
class Flag:
    """A chunk flagged at ingestion for an officer's review."""

    chunk_id: str
    document_id: str
    organisation: str
    category: str
    score: float
    reasons: tuple[str, ...]
    flagged_at: float
    reviewed_by: str | None = None
    decision: str | None = None  # withhold, release
