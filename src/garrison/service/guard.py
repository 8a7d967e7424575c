"""Guardrails, as a use-case: each organisation's acceptable-use policy applied to prompts,
answers and documents, every verdict that is not a plain allow written as a ``GuardEvent``.

- ``check_input``: the user's messages before the engine; a category the policy blocks is a 403
  ``content_policy_violation`` with its category, a ``warn`` goes ahead (recorded).
- ``OutputWatch``: the answer as it grows, every piece checked (a window of the latest
  ``OUTPUT_WINDOW`` characters) and sent at once, the start of a word it could refuse held back; the
  whole at its end; a block cuts the stream there.
- ``screen_sources``: every retrieved chunk before it goes into a prompt; one that carries
  instructions aimed at the model is withheld, and the answer says a source was withheld.
- ``flag_document``: at ingestion, chunks that carry instructions are flagged for an officer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from garrison.core.documents import Hit
from garrison.core.errors import ContentBlocked, GarrisonError, InvalidRequest, NotFound
from garrison.core.events import GuardEvent
from garrison.core.guard import CATEGORIES, Flag, GuardAction, GuardPolicy, Verdict
from garrison.core.types import ChatRequest, Generation, Message, Principal, Sampling
from garrison.guard import llamaguard
from garrison.guard.builtin import STARTS_LONGEST, BuiltinGuard
from garrison.security.policy import Action, Resource
from garrison.service.authz import Authoriser, request_id
from garrison.service.policies import PolicyCache
from garrison.store.guard import GuardRepository

log = logging.getLogger("garrison.guard")
OUTPUT_WINDOW = 160  # characters of a growing answer checked before a piece goes out (a sentence or two)
OUTPUT_HOLD = 32  # a word longer than this is never held back (a URL, a long number): checked all the same
WITHHELD_NOTE = (
    "\n\n(One or more sources were withheld from this answer: they carried instructions aimed at the model.)"
)


@dataclass(slots=True)
class OutputWatch:
    """Checks an answer as it grows. ``feed`` takes the model's next piece and returns the text that
    may go out now. Every release is checked first, together with the text before it (the latest
    ``OUTPUT_WINDOW`` characters), so nothing reaches the client unchecked; a block raises
    ContentBlocked. A piece goes out as soon as it is checked, at the engine's pace, with one
    exception: a word still being written that could become a term the guard blocks on (its
    completion, checked in advance, would be refused) is held back until it is whole, so such a word
    is refused before any of it goes out. ``final`` checks the whole answer and releases the rest."""

    service: GuardService
    principal: Principal
    policy: GuardPolicy
    text: str = ""
    held: str = ""
    last_start: int = -(10**9)  # where the text last held the start of a hazard term

    def feed(self, piece: str, *, final: bool = False) -> str:
        self.text += piece
        if not self.policy.output:
            return piece
        self.held += piece
        self._scan(piece)
        if not self.held and not final:
            return ""
        guard = self.service.guard
        window = self.text if final else self.text[-OUTPUT_WINDOW:]
        release = self.held
        if not final:
            word = _LAST_WORD.search(self.held)
            if word is not None and len(word.group()) < OUTPUT_HOLD:
                endings = guard.completions(word.group())
                if endings and self._would_block(window[: len(window) - len(word.group())] + " ".join(endings)):
                    release = self.held[: word.start()]
                    if not release:
                        return ""  # the start of a word the guard may refuse: wait for the rest
        if final or self.last_start > len(self.text) - OUTPUT_WINDOW:
            self.service.enforce(self.principal, self.policy, guard.check(window, "answer"), "output")
        self.held = self.held[len(release) :]
        return release

    def _scan(self, piece: str) -> None:
        """Notes where a hazard term last began. The guard refuses an answer only for a hazard term
        in its window, so while none has begun within the last ``OUTPUT_WINDOW`` characters the check
        would allow, and is skipped. Every piece is scanned with enough of the text before it (twice
        the longest term start) that every start is seen whole by the piece that completes it."""
        end = len(self.text)
        if self.service.guard.hazard_starts(self.text[max(0, end - len(piece) - 2 * STARTS_LONGEST) :]):
            self.last_start = end

    def _would_block(self, text: str) -> bool:
        return self.service.blocks(self.policy, self.service.guard.check(text, "answer"))


_LAST_WORD = re.compile(r"\w+$")  # the word still being written, if the text ends inside one


class GuardService:
    def __init__(self, repo: GuardRepository, authz: Authoriser, guard: BuiltinGuard | None = None) -> None:
        self._repo = repo
        self._authz = authz
        self.guard = guard or BuiltinGuard()
        self._policies = PolicyCache(self._load_policy)

    # -- policy ---------------------------------------------------------------------------------
    def policy(self, organisation: str | None) -> GuardPolicy:
        """The organisation's policy (cached for ``policies.TTL`` seconds)."""
        return self._policies.get(organisation or "-")

    def _load_policy(self, organisation: str) -> GuardPolicy:
        stored = self._repo.policy(organisation)
        return parse_policy(stored, GuardPolicy()) if stored is not None else GuardPolicy()

    def get_policy(self, p: Principal, organisation: str) -> GuardPolicy:
        self._authz.require(p, Action.ORG_READ, Resource("organisation", organisation, organisation), "guard.policy")
        return self.policy(organisation)

    def set_policy(self, p: Principal, organisation: str, changes: Mapping[str, object]) -> GuardPolicy:
        resource = Resource("organisation", organisation, organisation)
        self._authz.require(p, Action.GUARD_MANAGE, resource, "guard.policy.update", {"fields": sorted(changes)})
        policy = parse_policy(changes, self.policy(organisation))
        self._repo.set_policy(organisation, policy_dict(policy), self._authz.now())
        self._policies.put(organisation, policy)
        return policy

    # -- verdicts -------------------------------------------------------------------------------
    def enforce(
        self, p: Principal, policy: GuardPolicy, verdict: Verdict, stage: str, chunk: str | None = None
    ) -> Verdict:
        """The verdict as the policy wants it (allow, warn, block), recorded unless a plain allow;
        a block at input or output raises ContentBlocked."""
        if verdict.category is None:
            return verdict
        if policy.threshold is not None and verdict.score < policy.threshold:
            return Verdict(GuardAction.ALLOW, None, (), verdict.score, verdict.guard)
        action = policy.action(verdict.category)
        if action is GuardAction.ALLOW:
            return Verdict(GuardAction.ALLOW, verdict.category, verdict.reasons, verdict.score, verdict.guard)
        decided = replace(verdict, action=action)
        self._record(p, decided, stage, chunk)
        if action is GuardAction.BLOCK and stage in ("input", "output"):
            name = CATEGORIES.get(verdict.category, verdict.category)
            where = "the request" if stage == "input" else "the answer"
            raise ContentBlocked(
                f"{where} was refused under the acceptable-use policy: {verdict.category} ({name})",
                category=verdict.category,
            )
        return decided

    @staticmethod
    def blocks(policy: GuardPolicy, verdict: Verdict) -> bool:
        """Whether ``enforce`` would refuse this verdict (nothing recorded): for looking ahead."""
        if verdict.category is None:
            return False
        if policy.threshold is not None and verdict.score < policy.threshold:
            return False
        return policy.action(verdict.category) is GuardAction.BLOCK

    def check_input(self, p: Principal, messages: Sequence[Message]) -> list[Verdict]:
        """The user's messages (system messages are the caller's own framing, also checked for
        injected role tags); a block raises, warnings are returned."""
        policy = self.policy(p.organisation)
        out = []
        for m in messages:
            if m.role == "assistant" or not m.content.strip():
                continue
            verdict = self.enforce(p, policy, self.guard.check(m.content, "prompt"), "input")
            if verdict.action is GuardAction.WARN:
                out.append(verdict)
        return out

    async def check_with_model(
        self,
        p: Principal,
        messages: Sequence[Message],
        chat: Callable[[ChatRequest], Awaitable[Generation]],
        model: str,
        *,
        answer: str | None = None,
    ) -> Verdict | None:
        """Llama Guard's verdict on the last user message (or, given ``answer``, on the model's
        answer to it: the "Agent" turn), applied like the built-in one. An answer not in its format
        (or a failed call) is logged; the built-in verdict already stands."""
        turns = list(messages) if answer is None else [*messages, Message("assistant", answer)]
        request = ChatRequest(
            model=model,
            messages=(Message("user", llamaguard.prompt(turns, "User" if answer is None else "Agent")),),
            sampling=Sampling(max_tokens=16, temperature=0.0),
        )
        try:
            verdict = llamaguard.parse((await chat(request)).text, model)
        except (llamaguard.LlamaGuardError, GarrisonError) as exc:
            log.warning("guard model %s gave no verdict: %s", model, exc)
            return None
        policy = self.policy(p.organisation)
        if answer is not None and not policy.output:
            return None
        return self.enforce(p, policy, verdict, "input" if answer is None else "output")

    def watch(self, p: Principal) -> OutputWatch:
        return OutputWatch(self, p, self.policy(p.organisation))

    def screen_sources(self, p: Principal, hits: Sequence[Hit]) -> tuple[list[Hit], list[Hit]]:
        """(kept, withheld): a chunk with instructions for the model never reaches the prompt."""
        policy = self.policy(p.organisation)
        if not policy.documents:
            return list(hits), []
        kept: list[Hit] = []
        withheld: list[Hit] = []
        for h in hits:
            review = self._repo.flag(str(h.chunk_id))
            if review is not None and review.decision == "release":
                kept.append(h)  # an officer read it and let it through
                continue
            verdict = self.guard.check(h.text, "passage")
            if review is not None and review.decision == "withhold" and verdict.category is None:
                verdict = Verdict(GuardAction.BLOCK, review.category, ("withheld by an officer",), 1.0, "review")
            decided = self.enforce(p, policy, verdict, "source", str(h.chunk_id))
            if decided.action is GuardAction.BLOCK and decided.category in ("indirect_injection", "injection"):
                withheld.append(h)
            else:
                kept.append(h)
        return kept, withheld

    def flag_document(self, actor: str, organisation: str, document_id: str, chunks: Sequence[tuple[int, str]]) -> int:
        """Flag, for an officer's review, the chunks (id, text) that carry instructions aimed at a
        model; they stay searchable, and every answer screens them again before its prompt."""
        flags = []
        for chunk_id, text in chunks:
            verdict = self.guard.check(text, "passage")
            if verdict.category in ("indirect_injection", "injection"):
                flags.append(
                    Flag(str(chunk_id), document_id, organisation, verdict.category, verdict.score, verdict.reasons,
                         self._authz.now())
                )  # fmt: skip
                event = replace(verdict, action=GuardAction.WARN)
                self._emit(actor, organisation, event, "ingestion", str(chunk_id))
        self._repo.add_flags(flags)
        return len(flags)

    def flags(self, p: Principal, organisation: str, *, pending: bool = False) -> list[Flag]:
        self._authz.require(p, Action.GUARD_REVIEW, Resource("organisation", organisation, organisation), "guard.flags")
        return self._repo.flags(organisation, pending=pending)

    def review(self, p: Principal, chunk_id: str, decision: str) -> Flag:
        if decision not in ("withhold", "release"):
            raise InvalidRequest("decision must be withhold or release", param="decision")
        flag = self._repo.flag(chunk_id)
        if flag is None:
            raise NotFound(f"no flagged chunk {chunk_id!r}")
        resource = Resource("chunk", chunk_id, flag.organisation)
        self._authz.require(p, Action.GUARD_REVIEW, resource, "guard.review", {"decision": decision})
        self._repo.review(chunk_id, p.actor, decision)
        found = self._repo.flag(chunk_id)
        assert found is not None
        return found

    def _record(self, p: Principal, verdict: Verdict, stage: str, chunk: str | None) -> None:
        self._emit(p.actor, p.organisation, verdict, stage, chunk)

    def _emit(self, actor: str, organisation: str | None, verdict: Verdict, stage: str, chunk: str | None) -> None:
        blocked = verdict.action is GuardAction.BLOCK
        category = verdict.category or ""
        self._authz.emit(
            GuardEvent(
                at=self._authz.now(),
                actor=actor,
                organisation=organisation,
                action="guard.check",
                operation=f"guard.{stage}",
                resource=f"chunk:{chunk}" if chunk else "text",
                allowed=not blocked,
                reasons=verdict.reasons,
                request_id=request_id(),
                stage=stage,
                category=category,
                verdict=verdict.action.value,
                score=verdict.score,
                guard=verdict.guard,
                chunk=chunk,
            )
        )


def policy_dict(policy: GuardPolicy) -> dict[str, Any]:
    return {
        "actions": {k: v.value for k, v in sorted(policy.actions.items())},
        "threshold": policy.threshold,
        "output": policy.output,
        "documents": policy.documents,
    }


def parse_policy(changes: Mapping[str, object], base: GuardPolicy) -> GuardPolicy:
    unknown = set(changes) - {"actions", "threshold", "output", "documents"}
    if unknown:
        raise InvalidRequest(
            f"unknown guard policy field(s) {', '.join(sorted(unknown))}; known: actions, threshold, output, documents",
            param=sorted(unknown)[0],
        )
    values: dict[str, Any] = {}
    if "actions" in changes:
        given = changes["actions"]
        if not isinstance(given, dict):
            raise InvalidRequest("actions must map categories to block, warn or allow", param="actions")
        actions = dict(base.actions)
        for category, action in given.items():
            if category not in CATEGORIES:
                raise InvalidRequest(
                    f"unknown category {category!r}; known: {', '.join(CATEGORIES)}", param=f"actions.{category}"
                )
            try:
                actions[category] = GuardAction(str(action))
            except ValueError:
                raise InvalidRequest(
                    f"the action for {category} must be block, warn or allow", param=f"actions.{category}"
                ) from None
        values["actions"] = actions
    if "threshold" in changes:
        t = changes["threshold"]
        if t is not None and (isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 <= float(t) <= 1):
            raise InvalidRequest("threshold must be a number between 0 and 1, or null", param="threshold")
        values["threshold"] = None if t is None else float(t)
    for name in ("output", "documents"):
        if name in changes:
            if not isinstance(changes[name], bool):
                raise InvalidRequest(f"{name} must be true or false", param=name)
            values[name] = changes[name]
    return replace(base, **values)
