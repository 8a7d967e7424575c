"""Personal data: what detection finds (:class:`Span`) and what an organisation asks for
(:class:`PrivacyPolicy`). Detection and action are separate steps joined by these types:
``detect(text) -> list[Span]`` then ``pseudonymise(text, spans)``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

# The entity types Garrison detects (Presidio's names where Presidio has one).
ENTITIES: tuple[str, ...] = (
    "PERSON",
    "LOCATION",
    "ORGANIZATION",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "IBAN_CODE",
    "CREDIT_CARD",
    "IP_ADDRESS",
    "IT_FISCAL_CODE",
    "FR_NIR",
    "DE_TAX_ID",
    "UK_NINO",
    "US_SSN",
    "PASSPORT",
    "DATE_OF_BIRTH",
)
# Identifiers with a check digit or character: a valid one is never missed, an invalid one never matched.
CHECKSUMMED: frozenset[str] = frozenset({"IBAN_CODE", "CREDIT_CARD", "IT_FISCAL_CODE", "FR_NIR", "DE_TAX_ID"})
LANGUAGES: tuple[str, ...] = ("en", "fr", "it", "de")

# A placeholder as pseudonymisation writes it: <PERSON_1>, <IBAN_CODE_2>.
PLACEHOLDER = re.compile(r"<([A-Z][A-Z_]*?)_(\d{1,6})>")


class Operator(StrEnum):
    """What replaces a detected span."""

    PSEUDONYMIZE = "pseudonymize"  # <PERSON_1>, the same for the same value, reversible through the vault
    MASK = "mask"  # all but the last 4 characters become '*'
    REDACT = "redact"  # <PERSON>: the type only
    HASH = "hash"  # <PERSON:3f9a0c1d2e4b5a6c>: keyed per organisation, so equal values match, not reversible


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of personal data found in a text: ``text[start:end]`` is of type ``entity``."""

    start: int
    end: int
    entity: str
    score: float
    recognizer: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")


@dataclass(frozen=True, slots=True)
class PrivacyPolicy:
    """An organisation's choices. Audit records and server logs are always redacted."""

    prompts: bool = True  # pseudonymise what goes to a model (messages, sources, prompts)
    answers: bool = True  # restore the pseudonyms in a model's answer for callers allowed to re-identify
    documents: bool = False  # pseudonymise documents at ingestion
    audit_text: bool = False  # keep the pseudonymised prompt and answer in the model call's audit record
    threshold: float = 0.5  # the lowest score that counts as a detection
    entities: frozenset[str] = frozenset(ENTITIES)  # what is looked for
    reidentify_roles: frozenset[str] = frozenset({"analyst", "security_officer", "admin"})

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError("threshold must be between 0 and 1")
        unknown = self.entities - set(ENTITIES)
        if unknown:
            raise ValueError(f"unknown entity type(s): {', '.join(sorted(unknown))}")


def resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Keep, of overlapping spans, the higher score (then the longer); return them in text order."""
    ordered = sorted(spans, key=lambda s: (-s.score, -(s.end - s.start), s.start))
    kept: list[Span] = []
    for s in ordered:
        if all(s.end <= k.start or s.start >= k.end for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: s.start)


@dataclass(frozen=True, slots=True)
class PrivacyNote:
    """What pseudonymisation did to one model call: for the response and the audit record."""

    pseudonyms: str | None  # the id of the table that restores them (None: nothing was replaced)
    entities: dict[str, int]  # type -> how many values were replaced
    restored: bool = False  # the answer's pseudonyms were restored for the caller
