"""What replaces detected personal data: Presidio's anonymizer with Garrison's operators.

- ``pseudonymize``: ``<PERSON_1>``, ``<IBAN_CODE_1>``: one placeholder per value within a
  :class:`Pseudonyms` table (a conversation, a document), so the same person keeps the same
  placeholder throughout, a surname alone included ("Rossi" after "Mario Rossi"); reversible by
  :func:`reidentify` with the table;
- ``mask``: all but the last four characters become ``*``;
- ``redact``: ``<PERSON>``;
- ``hash``: ``<PERSON:3f9a0c1d2e4b5a6c>``, HMAC-SHA256 under the organisation's key, so equal
  values give equal tags within an organisation and nobody can test a guess without the key.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from garrison.core.privacy import ENTITIES, Operator, Span

_SPACES = re.compile(r"\s+")
_ALNUM = re.compile(r"[\W_]+")
_NUMBERS = frozenset(
    {"IBAN_CODE", "CREDIT_CARD", "PHONE_NUMBER", "IT_FISCAL_CODE", "FR_NIR", "DE_TAX_ID", "UK_NINO", "US_SSN"}
)


def normalise(entity: str, value: str) -> str:
    """The form two writings of one value share: "IT60 X054 ..." and "IT60X054..." are one IBAN."""
    if entity in _NUMBERS or entity == "PASSPORT":
        return _ALNUM.sub("", value).upper()
    return _SPACES.sub(" ", value).strip().casefold()


@dataclass(slots=True)
class Pseudonyms:
    """Placeholder -> original value, for one conversation or document."""

    values: dict[str, str] = field(default_factory=dict)  # "<PERSON_1>" -> "Mario Rossi"
    _index: dict[tuple[str, str], str] = field(default_factory=dict)  # (entity, normalised) -> placeholder
    _counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, values: dict[str, str]) -> Pseudonyms:
        table = cls()
        for placeholder, value in values.items():
            entity, number = _parse(placeholder)
            table.values[placeholder] = value
            table._index.setdefault((entity, normalise(entity, value)), placeholder)
            table._counts[entity] = max(table._counts.get(entity, 0), number)
        return table

    def placeholder(self, entity: str, value: str) -> str:
        key = (entity, normalise(entity, value))
        found = self._index.get(key)
        if found is None and entity == "PERSON":
            found = self._same_person(key[1])
        if found is None:
            self._counts[entity] = self._counts.get(entity, 0) + 1
            found = f"<{entity}_{self._counts[entity]}>"
            self.values[found] = value
        self._index[key] = found
        return found

    def known(self, text: str, spans: Sequence[Span]) -> list[Span]:
        """``spans`` and every other mention of a value the table already holds: a person named in
        full before and by surname now ("Vogel" after "Jürgen Vogel") keeps the same placeholder."""
        for sp in spans:  # register in text order, so numbering follows the text
            self.placeholder(sp.entity, text[sp.start : sp.end])
        taken = [(sp.start, sp.end) for sp in spans]
        out = list(spans)
        words: dict[str, str] = {}
        for placeholder, value in self.values.items():
            entity = _parse(placeholder)[0]
            words.setdefault(value, entity)
            if entity == "PERSON":
                for word in value.split():
                    if len(word) >= 3 and word[:1].isupper():
                        words.setdefault(word, entity)
        if not words:
            return out
        # one pass over the text for every known value, the longest first at each position
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)"
        )
        taken.sort()
        starts = [a for a, _ in taken]
        for m in pattern.finditer(text):
            i = bisect.bisect_right(starts, m.start())
            if (i > 0 and taken[i - 1][1] > m.start()) or (i < len(taken) and taken[i][0] < m.end()):
                continue  # inside or across a span already found
            out.append(Span(m.start(), m.end(), words[m.group()], 0.9, "Pseudonyms"))
        return sorted(out, key=lambda sp: sp.start)

    def _same_person(self, name: str) -> str | None:
        """A known person whose name contains this one's words, or the reverse ("Rossi", "Mario Rossi")."""
        words = set(name.split())
        for (entity, known), placeholder in self._index.items():
            if entity == "PERSON":
                other = set(known.split())
                if words <= other or other <= words:
                    return placeholder
        return None


def _parse(placeholder: str) -> tuple[str, int]:
    inner = placeholder.strip("<>")
    entity, _, number = inner.rpartition("_")
    return entity, int(number)


class Anonymizer:
    """Presidio's ``AnonymizerEngine`` with one custom operator per entity type."""

    def __init__(self) -> None:
        self._engine = AnonymizerEngine()  # type: ignore[no-untyped-call]

    def apply(
        self,
        text: str,
        spans: Sequence[Span],
        operator: Operator,
        *,
        pseudonyms: Pseudonyms | None = None,
        key: bytes | None = None,
    ) -> tuple[str, list[Replacement]]:
        """The text with each span replaced, and where each replacement is in the new text."""
        if not spans:
            return text, []
        replace = _replacer(operator, pseudonyms, key)

        def operator_for(entity: str) -> Callable[[str], str]:
            return lambda value: replace(entity, value)

        configs = {e: OperatorConfig("custom", {"lambda": operator_for(e)}) for e in {s.entity for s in spans}}
        results = [RecognizerResult(s.entity, s.start, s.end, s.score) for s in spans]
        out = self._engine.anonymize(text=text, analyzer_results=results, operators=configs)
        made = [Replacement(i.entity_type, i.start, i.end, i.text) for i in out.items]
        return out.text, sorted(made, key=lambda r: r.start)


@dataclass(frozen=True, slots=True)
class Replacement:
    """What a span became: ``text`` at ``start``..``end`` of the new text."""

    entity: str
    start: int
    end: int
    text: str


def _replacer(operator: Operator, pseudonyms: Pseudonyms | None, key: bytes | None) -> Callable[[str, str], str]:
    if operator is Operator.PSEUDONYMIZE:
        table = pseudonyms if pseudonyms is not None else Pseudonyms()
        return table.placeholder
    if operator is Operator.REDACT:
        return lambda entity, value: f"<{entity}>"
    if operator is Operator.MASK:
        return lambda entity, value: "".join("*" if c.isalnum() else c for c in value[:-4]) + value[-4:]
    if key is None:
        raise ValueError("hashing needs the organisation's key")
    secret = key

    def digest(entity: str, value: str) -> str:
        tag = hmac.new(secret, f"{entity}\x00{normalise(entity, value)}".encode(), hashlib.sha256).hexdigest()
        return f"<{entity}:{tag[:16]}>"

    return digest


# What a model may write back: <PERSON_1>, < person_1 >, or PERSON_1 bare.
_ENTITY_NAMES = "|".join(sorted(ENTITIES, key=len, reverse=True))
RESTORE = re.compile(rf"<\s*({_ENTITY_NAMES})_(\d{{1,6}})\s*>|\b({_ENTITY_NAMES})_(\d{{1,6}})\b", re.IGNORECASE)


def reidentify(text: str, pseudonyms: Pseudonyms) -> tuple[str, int]:
    """The text with every known placeholder replaced by its value; and how many were."""
    count = 0

    def put(m: re.Match[str]) -> str:
        nonlocal count
        entity = (m.group(1) or m.group(3)).upper()
        number = int(m.group(2) or m.group(4))
        value = pseudonyms.values.get(f"<{entity}_{number}>")
        if value is None:
            return m.group(0)
        count += 1
        return value

    return RESTORE.sub(put, text), count


_HOLD = re.compile(r"(<\s*[A-Za-z_]*\d*\s*|\b[A-Z][A-Z_]*\d*)$")
_MAX_HELD = 32


class Restorer:
    """:func:`reidentify` over a stream: a placeholder cut between two pieces is held back until whole."""

    def __init__(self, pseudonyms: Pseudonyms) -> None:
        self._table = pseudonyms
        self._held = ""
        self.restored = 0

    def feed(self, piece: str) -> str:
        text = self._held + piece
        self._held = ""
        m = _HOLD.search(text)
        if m is not None and len(m.group()) <= _MAX_HELD and _could_be_placeholder(m.group()):
            self._held = m.group()
            text = text[: m.start()]
        out, n = reidentify(text, self._table)
        self.restored += n
        return out

    def finish(self) -> str:
        text, self._held = self._held, ""
        out, n = reidentify(text, self._table)
        self.restored += n
        return out


def _could_be_placeholder(tail: str) -> bool:
    if tail.startswith("<"):
        return True
    for entity in ENTITIES:
        prefix = entity + "_"
        if prefix.startswith(tail) or (tail.startswith(prefix) and tail[len(prefix) :].isdigit()):
            return True
    return False
