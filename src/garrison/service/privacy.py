"""Personal data, as a use-case: detect, pseudonymise, re-identify; each organisation's policy.

- ``analyze`` / ``pseudonymize`` / ``reidentify``: the /v1/privacy API and the CLI; each goes
  through ``decide`` (``privacy.use``, ``privacy.reidentify``) and is audited with counts per type,
  never the values.
- ``shield`` / ``restorer``: what the gateway calls around a model: the messages (and the sources
  put into them) are pseudonymised into one table per call, saved to the vault, and the answer's
  placeholders restored for a caller the organisation's policy lets re-identify.
- ``redact``: the pattern recognisers alone, for every audit record's free text and every log line.

A pseudonym table belongs to the organisation of whoever made it: another organisation's caller
gets the same 404 as for a table that does not exist (and the refusal is audited).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from garrison.core.errors import InvalidRequest, NotFound
from garrison.core.events import AuditEvent, AuditSink
from garrison.core.privacy import ENTITIES, LANGUAGES, Operator, PrivacyNote, PrivacyPolicy, Span
from garrison.core.types import ROLES, Principal
from garrison.privacy.detector import Detection, Detector, PatternScanner, Wanted
from garrison.privacy.operators import Anonymizer, Pseudonyms, Replacement, Restorer, reidentify
from garrison.privacy.vault import Vault
from garrison.security.policy import Action, Decision, Resource
from garrison.service.authz import Authoriser
from garrison.service.policies import PolicyCache
from garrison.store.privacy import PrivacyRepository

MAX_TEXT = 1_000_000  # characters per request to the privacy API
POLICY_FIELDS = frozenset(f.name for f in fields(PrivacyPolicy))
NO_ORG = "-"  # the pseudonym tables of callers without an organisation (the console)


@dataclass(frozen=True, slots=True)
class Pseudonymised:
    text: str
    pseudonyms: str | None  # the table's id (pseudonymize only)
    replacements: list[Replacement]
    languages: tuple[str, ...]


@dataclass(slots=True)
class Shield:
    """One model call's pseudonymisation: the table, its id, what was replaced."""

    table: Pseudonyms
    pseudonyms: str  # the vault table's id
    counts: Counter[str]
    restorer: Restorer | None = None

    def note(self) -> PrivacyNote:
        return PrivacyNote(self.pseudonyms, dict(sorted(self.counts.items())), restored=self.restorer is not None)


class Redactor:
    """``<TYPE>`` in place of every identifier the pattern recognisers find (no NER: cheap)."""

    def __init__(self, scanner: PatternScanner) -> None:
        self._scanner = scanner
        self._anonymizer = Anonymizer()

    def text(self, text: str) -> str:
        if not text or not any(c.isdigit() or c == "@" for c in text):
            return text  # every pattern needs a digit or an @
        spans = self._scanner.scan(text)
        return self._anonymizer.apply(text, spans, Operator.REDACT)[0] if spans else text

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.value(v) for v in value)
        return value

    def event(self, event: AuditEvent) -> AuditEvent:
        """The free text of an audit record (reasons, details) redacted; who and what stay."""
        changes: dict[str, Any] = {"reasons": tuple(self.text(r) for r in event.reasons)}
        details = getattr(event, "details", None)
        if isinstance(details, dict) and details:
            changes["details"] = self.value(details)
        return replace(event, **changes)


class RedactingSink:
    """An audit sink that redacts each event's free text before the log gets it."""

    def __init__(self, inner: AuditSink, redact: Callable[[AuditEvent], AuditEvent]) -> None:
        self._inner = inner
        self._redact = redact

    def record(self, event: AuditEvent) -> None:
        self._inner.record(self._redact(event))


class PrivacyService:
    def __init__(
        self,
        detector: Callable[[], Detector],
        vault: Vault,
        repo: PrivacyRepository,
        authz: Authoriser,
        *,
        default: PrivacyPolicy | None = None,
    ) -> None:
        self._make_detector = detector
        self._detector: Detector | None = None
        self._vault = vault
        self._repo = repo
        self._authz = authz
        self._anonymizer = Anonymizer()
        self._default = default or PrivacyPolicy()
        self._policies = PolicyCache(self._load_policy)
        self._building = threading.Lock()

    @property
    def detector(self) -> Detector:
        """Built on first use (the language models take seconds to load), then shared."""
        with self._building:
            if self._detector is None:
                self._detector = self._make_detector()
            return self._detector

    def warm(self) -> None:
        """Load the language models now (the server does at start-up, so no request waits)."""
        self.detector.detect("Warm-up: Mario Rossi, mario.rossi@example.org.")

    def purge(self, days: float) -> int:
        """Forget the pseudonym tables unused for ``days``."""
        return self._vault.purge(days * 86400)

    # -- policy ---------------------------------------------------------------------------------
    def policy(self, organisation: str | None) -> PrivacyPolicy:
        """The organisation's policy (cached for ``policies.TTL`` seconds)."""
        return self._policies.get(organisation or NO_ORG)

    def _load_policy(self, organisation: str) -> PrivacyPolicy:
        stored = self._repo.policy(organisation)
        return _policy(stored, self._default) if stored is not None else self._default

    def get_policy(self, p: Principal, organisation: str) -> PrivacyPolicy:
        self._authz.require(p, Action.ORG_READ, Resource("organisation", organisation, organisation), "privacy.policy")
        return self.policy(organisation)

    def set_policy(self, p: Principal, organisation: str, changes: Mapping[str, object]) -> PrivacyPolicy:
        resource = Resource("organisation", organisation, organisation)
        self._authz.require(p, Action.PRIVACY_MANAGE, resource, "privacy.policy.update", {"fields": sorted(changes)})
        policy = _policy(changes, self.policy(organisation))
        self._repo.set_policy(organisation, policy_dict(policy), self._authz.now())
        self._policies.put(organisation, policy)
        return policy

    # -- the API --------------------------------------------------------------------------------
    def analyze(
        self,
        p: Principal,
        text: str,
        *,
        language: str | None = None,
        entities: Sequence[str] | None = None,
        threshold: float | None = None,
    ) -> Detection:
        self._check_text(text)
        policy = self.policy(p.organisation)
        wanted = _entities(entities, policy)
        self._authz.require(p, Action.PRIVACY_USE, self._own(p), "privacy.analyze", quiet=True)
        found = self.detector.detect(
            text, language=_language(language), entities=wanted, threshold=_threshold(threshold, policy)
        )
        self._record(p, Action.PRIVACY_USE, "privacy.analyze", Counter(s.entity for s in found.spans), None)
        return found

    def pseudonymize(
        self,
        p: Principal,
        text: str,
        *,
        operator: Operator = Operator.PSEUDONYMIZE,
        pseudonyms: str | None = None,
        language: str | None = None,
        entities: Sequence[str] | None = None,
        threshold: float | None = None,
    ) -> Pseudonymised:
        self._check_text(text)
        policy = self.policy(p.organisation)
        wanted = _entities(entities, policy)
        org = p.organisation or NO_ORG
        self._authz.require(p, Action.PRIVACY_USE, self._own(p), "privacy.pseudonymize", quiet=True)
        if pseudonyms is not None and operator is not Operator.PSEUDONYMIZE:
            raise InvalidRequest("a pseudonym table goes with the pseudonymize operator only", param="pseudonyms")
        table = self._table(p, pseudonyms) if pseudonyms is not None else Pseudonyms()
        found = self.detector.detect(
            text, language=_language(language), entities=wanted, threshold=_threshold(threshold, policy)
        )
        key = self._vault.data_key(org) if operator is Operator.HASH else None
        spans = table.known(text, found.spans) if operator is Operator.PSEUDONYMIZE else list(found.spans)
        out, made = self._anonymizer.apply(text, spans, operator, pseudonyms=table, key=key)
        table_id = None
        if operator is Operator.PSEUDONYMIZE:
            table_id = pseudonyms or self._vault.new_id()
            self._vault.save(org, table_id, table, p.actor)
        self._record(
            p, Action.PRIVACY_USE, "privacy.pseudonymize", Counter(s.entity for s in found.spans), table_id, operator
        )
        return Pseudonymised(out, table_id, made, found.languages)

    def reidentify(self, p: Principal, text: str, pseudonyms: str) -> tuple[str, int]:
        self._check_text(text)
        table = self._table(p, pseudonyms)
        out, count = reidentify(text, table)
        self._record(p, Action.PRIVACY_REIDENTIFY, "privacy.reidentify", Counter({"restored": count}), pseudonyms)
        return out, count

    # -- around a model -------------------------------------------------------------------------
    def shield(self, p: Principal, texts: Sequence[str]) -> tuple[list[str], Shield | None]:
        """The texts with their personal data pseudonymised into one new table (None: the
        organisation does not pseudonymise prompts, or there was nothing to replace)."""
        result = self.shield_many([(p, texts)])[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def shield_many(
        self, calls: Sequence[tuple[Principal, Sequence[str]]]
    ) -> list[tuple[list[str], Shield | None] | BaseException]:
        """``shield`` for several calls at once, their texts detected in one batch; each call's
        result, or the error that call alone met (a vault write that failed)."""
        policies = [self.policy(p.organisation) for p, _ in calls]
        wanted = [
            Wanted(text, None, tuple(policy.entities), policy.threshold, owner=f"{p.organisation}\x00{p.user_id}")
            for (p, texts), policy in zip(calls, policies, strict=True)
            if policy.prompts
            for text in texts
        ]
        found = iter(self.detector.detect_many(wanted) if wanted else [])
        out: list[tuple[list[str], Shield | None] | BaseException] = []
        for (p, texts), policy in zip(calls, policies, strict=True):
            if not policy.prompts:
                out.append((list(texts), None))
                continue
            detections = [next(found) for _ in texts]
            try:
                out.append(self._shield(p, texts, detections, policy))
            except Exception as exc:  # this call fails; the others of the batch go on
                out.append(exc)
        return out

    def _shield(
        self, p: Principal, texts: Sequence[str], detections: Sequence[Detection], policy: PrivacyPolicy
    ) -> tuple[list[str], Shield | None]:
        table = Pseudonyms()
        counts: Counter[str] = Counter()
        out: list[str] = []
        for text, found in zip(texts, detections, strict=True):
            spans = table.known(text, found.spans)
            counts.update(s.entity for s in spans)
            out.append(self._anonymizer.apply(text, spans, Operator.PSEUDONYMIZE, pseudonyms=table)[0])
        if not table.values:
            return out, None  # nothing personal: the call goes on as if the policy were off
        shield = Shield(table, self._vault.new_id(), counts)
        self._vault.save(p.organisation or NO_ORG, shield.pseudonyms, table, p.actor)
        if policy.answers and self._may_restore(p, shield.pseudonyms, policy):
            shield.restorer = Restorer(table)
        return out, shield

    def pseudonymise_document(
        self, p: Principal, organisation: str, document_id: str, texts: list[str]
    ) -> list[str] | None:
        """A document's chunks pseudonymised at ingestion into the table ``ps_<document id>``, when
        the organisation's policy asks (``documents``); None when it does not."""
        policy = self.policy(organisation)
        if not policy.documents:
            return None
        table = Pseudonyms()
        counts: Counter[str] = Counter()
        out = []
        for text in texts:
            found = self.detector.detect(text, entities=policy.entities, threshold=policy.threshold)
            spans = table.known(text, found.spans)
            counts.update(s.entity for s in spans)
            out.append(self._anonymizer.apply(text, spans, Operator.PSEUDONYMIZE, pseudonyms=table)[0])
        table_id = f"ps_{document_id}"
        if table.values:
            self._vault.save(organisation, table_id, table, p.actor)
        self._record(p, Action.PRIVACY_USE, "privacy.pseudonymize.document", counts, table_id)
        return out

    def _may_restore(self, p: Principal, table_id: str, policy: PrivacyPolicy) -> bool:
        resource = Resource("pseudonyms", table_id, p.organisation, roles=policy.reidentify_roles)
        return self._authz.allows(
            p, Action.PRIVACY_REIDENTIFY, resource, "privacy.reidentify.answer", quiet=True
        ).allowed

    # -- helpers --------------------------------------------------------------------------------
    def _own(self, p: Principal) -> Resource:
        return Resource("privacy", None, p.organisation)

    def _table(self, p: Principal, table_id: str) -> Pseudonyms:
        """A table the caller may restore, else 404 (another organisation's: refused, audited, 404)."""
        owner = self._vault.owner(table_id)
        policy = self.policy(owner) if owner is not None else self._default
        resource = Resource(
            "pseudonyms",
            table_id,
            None if owner in (None, NO_ORG) else owner,
            roles=policy.reidentify_roles,
        )
        decision = self._authz.allows(p, Action.PRIVACY_REIDENTIFY, resource, "privacy.reidentify", quiet=True)
        if owner is None or (not decision.allowed and decision.rule == "scope"):
            raise NotFound(f"no pseudonym table {table_id!r}", code="privacy_session_not_found")
        self._authz.enforce(decision, "privacy.reidentify")
        return self._vault.load(owner, table_id)

    def _record(
        self,
        p: Principal,
        action: Action,
        operation: str,
        counts: Counter[str],
        table_id: str | None,
        operator: Operator | None = None,
    ) -> None:
        details: dict[str, object] = {"entities": dict(sorted(counts.items()))}
        if table_id is not None:
            details["pseudonyms"] = table_id
        if operator is not None:
            details["operator"] = operator.value
        resource = Resource("pseudonyms" if table_id else "privacy", table_id, p.organisation)
        self._authz.record(p, action, resource, operation, Decision(True, (f"{p.role} may {action.value}",)), details)

    @staticmethod
    def _check_text(text: str) -> None:
        if len(text) > MAX_TEXT:
            raise InvalidRequest(f"the text is {len(text)} characters, over the limit of {MAX_TEXT}", param="text")


def policy_dict(policy: PrivacyPolicy) -> dict[str, object]:
    return {
        "prompts": policy.prompts,
        "answers": policy.answers,
        "documents": policy.documents,
        "audit_text": policy.audit_text,
        "threshold": policy.threshold,
        "entities": sorted(policy.entities),
        "reidentify_roles": sorted(policy.reidentify_roles),
    }


def _policy(changes: Mapping[str, object], base: PrivacyPolicy) -> PrivacyPolicy:
    unknown = set(changes) - POLICY_FIELDS
    if unknown:
        raise InvalidRequest(
            f"unknown privacy policy field(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(POLICY_FIELDS))}",
            param=sorted(unknown)[0],
        )
    values: dict[str, Any] = {}
    for name in ("prompts", "answers", "documents", "audit_text"):
        if name in changes:
            value = changes[name]
            if not isinstance(value, bool):
                raise InvalidRequest(f"{name} must be true or false", param=name)
            values[name] = value
    if "threshold" in changes:
        values["threshold"] = _threshold(changes["threshold"], base)
    if "entities" in changes:
        values["entities"] = frozenset(_entities(_strings(changes["entities"], "entities"), None))
    if "reidentify_roles" in changes:
        roles = frozenset(_strings(changes["reidentify_roles"], "reidentify_roles"))
        if roles - set(ROLES):
            raise InvalidRequest(f"unknown role(s) {', '.join(sorted(roles - set(ROLES)))}", param="reidentify_roles")
        values["reidentify_roles"] = roles
    return replace(base, **values)


def _strings(value: object, name: str) -> list[str]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise InvalidRequest(f"{name} must be a list of strings", param=name)
    return list(value)


def _entities(entities: Iterable[str] | None, policy: PrivacyPolicy | None) -> list[str]:
    if entities is None:
        return sorted(policy.entities) if policy is not None else list(ENTITIES)
    wanted = [e.upper() for e in entities]
    unknown = sorted(set(wanted) - set(ENTITIES))
    if unknown:
        raise InvalidRequest(
            f"unknown entity type(s) {', '.join(unknown)}; known: {', '.join(ENTITIES)}", param="entities"
        )
    return wanted


def _threshold(value: object, policy: PrivacyPolicy) -> float:
    if value is None:
        return policy.threshold
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= float(value) <= 1.0:
        raise InvalidRequest("the score threshold must be a number between 0 and 1", param="score_threshold")
    return float(value)


def _language(value: str | None) -> str | None:
    if value is None or value == "auto":
        return None
    if value not in LANGUAGES:
        raise InvalidRequest(f"language must be one of {', '.join(LANGUAGES)} or auto", param="language")
    return value


def spans_json(spans: Iterable[Span]) -> list[dict[str, object]]:
    return [
        {"type": s.entity, "start": s.start, "end": s.end, "score": s.score, "recognizer": s.recognizer} for s in spans
    ]


def messages_text(texts: Sequence[str]) -> str:
    """The pseudonymised prompt as an audit record keeps it (when the policy says so)."""
    return json.dumps(list(texts), ensure_ascii=False)
