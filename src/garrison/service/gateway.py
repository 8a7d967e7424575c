"""The gateway use-cases behind the OpenAI-compatible API and every other entry point.

Pipeline (so far): authenticate -> resolve the model -> authorise (policy: role, eligibility;
audited) -> admit (rates, daily budgets) -> retrieve (a chat naming collections: only what the
caller may read, service/documents.py) -> pseudonymise the messages and sources (the
organisation's privacy policy, service/privacy.py) -> limits -> engine -> re-identify the answer
(if the caller may) -> citations and marking of the answer (service/answers.py) -> meter usage,
metrics. Guards slot into the same methods later, so no entry point can skip a step.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from garrison.core.documents import Grounding, Hit
from garrison.core.errors import GarrisonError, InvalidRequest
from garrison.core.types import (
    Capability,
    ChatRequest,
    CompletionRequest,
    Delta,
    EmbeddingRequest,
    Embeddings,
    Generation,
    Message,
    ModelRecord,
    Principal,
    Usage,
)
from garrison.engines.base import Engine
from garrison.security.policy import Action, Decision, Resource
from garrison.service import answers, calls
from garrison.service.admission import Admission
from garrison.service.auth import Authenticator
from garrison.service.authz import Authoriser, request_id
from garrison.service.batching import BatchQueue
from garrison.service.calls import Call
from garrison.service.documents import DocumentService, SearchOptions
from garrison.service.guard import WITHHELD_NOTE, GuardService, OutputWatch
from garrison.service.limits import Limits
from garrison.service.metrics import Metrics
from garrison.service.models import ModelService
from garrison.service.pool import ModelPool
from garrison.service.privacy import PrivacyService, Shield, messages_text

UNKNOWN_MODEL = "_unknown"
CLIENT_CLOSED = "499"


@dataclass(frozen=True, slots=True)
class Readiness:
    ready: bool
    served: list[str]
    refused: dict[str, str]


# Calls detected together at most. 16 streams sent at once were detected as 1 + 15 and their first
# tokens came 202 ms after sending (mean of 24 rounds; median 176): the 15 reached llama.cpp
# together, late, often while it was decoding the first, and waited for that step. As 1 + 8 + 7:
# 179 ms (median 171); as 1 + 4 + 4 + 4 + 3, 218 ms (every group waits for a step).
DETECT_BATCH = 8
# How long a detected call may wait for the calls queued behind it, so that a burst reaches
# llama.cpp together: a group that arrives while llama.cpp decodes waits for that step to end.
# 16 streams sent at once, first token 157 ms after sending instead of 194 (median of 20 rounds,
# interleaved; mean 169 instead of 209); 8 streams 95 instead of 99, 4 streams 53 instead of 59
# (16 rounds). A call alone never waits.
DETECT_HOLD_S = 0.05


class Gateway:
    def __init__(
        self,
        authn: Authenticator,
        authz: Authoriser,
        pool: ModelPool,
        models: ModelService,
        admission: Admission,
        limits: Limits,
        metrics: Metrics,
        documents: DocumentService | None = None,
        *,
        privacy: PrivacyService | None = None,
        guard: GuardService | None = None,
        guard_model: str | None = None,
        min_similarity: float = 0.0,
    ) -> None:
        self._guard_model = guard_model
        # Personal-data detection (spaCy) is CPU work under the GIL: one thread, first come first
        # served, and what queued while it was busy is detected as one batch (service/batching.py)
        # of at most DETECT_BATCH calls, whose results wait up to DETECT_HOLD_S for the calls
        # queued behind them.
        self._detecting: BatchQueue[tuple[Principal, Sequence[str]], tuple[list[str], Shield | None]] | None = (
            BatchQueue(privacy.shield_many, name="garrison-detect", max_batch=DETECT_BATCH, hold=DETECT_HOLD_S)
            if privacy is not None
            else None
        )
        self._documents = documents
        self._privacy = privacy
        self._guard = guard
        self.min_similarity = min_similarity
        self._authn = authn
        self._authz = authz
        self._pool = pool
        self._models = models
        self.admission = admission
        self.limits = limits
        self.metrics = metrics

    # -- lifecycle ------------------------------------------------------------------------------
    def readiness(self) -> Readiness:
        served = [r.name for r in self._pool.served()]
        refused = {r.record.name: r.error.message for r in self._pool.refused()}
        return Readiness(ready=self._pool.started and bool(served), served=served, refused=refused)

    def start(self) -> None:
        """Background work of a running server (usage written every few seconds)."""
        self.admission.start()

    async def close(self) -> None:
        await self.admission.close()
        await self._pool.close()
        if self._detecting is not None:
            self._detecting.close()

    # -- pipeline steps -------------------------------------------------------------------------
    def authenticate(self, bearer: str | None) -> Principal:
        return self._authn.authenticate(bearer)

    def list_models(self, principal: Principal) -> list[ModelRecord]:
        """The served models the caller may use: eligibility is read from the catalog each time."""
        eligibility = {r.name: r.eligibility for r in self._models.list()}
        visible = [
            r
            for r in self._pool.served()
            if self._authz.may(
                principal, Action.MODEL_LIST, Resource("model", r.name, eligibility=eligibility.get(r.name))
            )
        ]
        names = [r.name for r in visible]
        decision = Decision(True, (f"{len(names)} eligible model(s)",))
        self._authz.record(principal, Action.MODEL_LIST, Resource("model"), "model.list", decision, {"models": names})
        return visible

    def get_model(self, principal: Principal, name: str) -> ModelRecord:
        record, _ = self._pool.get(name)
        self._authorise(principal, Action.MODEL_LIST, name, "model.read")
        return record

    def _model(self, name: str) -> Resource:
        return Resource("model", name, eligibility=self._models.eligibility(name))

    def _authorise(self, principal: Principal, action: Action, name: str, operation: str) -> None:
        self._authz.require(principal, action, self._model(name), operation)

    def _enter(
        self, principal: Principal, name: str, capability: Capability, endpoint: str, call: Call
    ) -> tuple[ModelRecord, Engine]:
        """Resolve, authorise, admit: every refusal is counted under the model it concerned (and
        recorded by the call's own audit event, which carries the decision)."""
        label = UNKNOWN_MODEL
        try:
            record, engine = self._pool.get(name)
            label = call.model = record.name
            if capability not in engine.capabilities:
                raise InvalidRequest(f"The model '{name}' does not support {capability.value}", param="model")
            call.decision = self._authz.allows(principal, Action.MODEL_USE, self._model(name), endpoint, audited=False)
            self._authz.enforce(call.decision, endpoint)
            self.admission.admit(principal)
        except GarrisonError as exc:
            if exc.status == 503:
                label = name  # registered but refused: the model is known
            self._count_error(endpoint, label, exc)
            raise
        return record, engine

    def _count_error(self, endpoint: str, model: str, exc: GarrisonError) -> None:
        self.metrics.errors.labels(endpoint=endpoint, model=model, code=exc.code).inc()
        self.metrics.requests.labels(endpoint=endpoint, model=model, status=str(exc.status)).inc()

    def _done(self, principal: Principal, endpoint: str, model: str, started: float, usage: Usage) -> None:
        self.admission.charge(principal, model, usage)
        self.metrics.requests.labels(endpoint=endpoint, model=model, status="200").inc()
        self.metrics.latency.labels(endpoint=endpoint, model=model).observe(time.perf_counter() - started)
        self.metrics.tokens.labels(model=model, kind="prompt").inc(usage.prompt_tokens)
        self.metrics.tokens.labels(model=model, kind="completion").inc(usage.completion_tokens)

    @contextmanager
    def _recorded(self, principal: Principal, call: Call, *, only_failure: bool = False) -> Iterator[None]:
        """Write the call's one audit event when the block ends, however it ends (``only_failure``:
        when it raises; a stream that goes ahead records itself when it ends)."""
        try:
            yield
        except BaseException as exc:
            call.ended(exc)
            self._authz.emit(call.event(principal, request_id()))
            raise
        if not only_failure:
            self._authz.emit(call.event(principal, request_id()))

    def _call(self, operation: str, model: str, digest: str, *, stream: bool = False) -> Call:
        return Call(operation, model, digest, self._authz.now(), stream=stream)

    # -- guards ---------------------------------------------------------------------------------
    def _check_input(self, principal: Principal, messages: tuple[Message, ...]) -> None:
        if self._guard is not None:
            self._guard.check_input(principal, messages)

    async def _check_with_model(
        self, principal: Principal, messages: tuple[Message, ...], answer: str | None = None
    ) -> None:
        """The registered guard model (Llama Guard), when the deployment names one: on the prompt,
        or (``answer``) on the model's answer to it."""
        if self._guard is None or self._guard_model is None:
            return
        _, engine = self._pool.get(self._guard_model)
        await self._guard.check_with_model(principal, messages, engine.chat, self._guard_model, answer=answer)

    async def _guard_input(self, principal: Principal, messages: tuple[Message, ...]) -> None:
        self._check_input(principal, messages)
        await self._check_with_model(principal, messages)

    def _check_answer(self, principal: Principal, text: str) -> None:
        watch = self._watch(principal)
        if watch is not None:
            watch.feed(text, final=True)

    def _watch(self, principal: Principal) -> OutputWatch | None:
        return self._guard.watch(principal) if self._guard is not None else None

    # -- personal data --------------------------------------------------------------------------
    def _pseudonymises(self, principal: Principal) -> bool:
        return self._privacy is not None and self._privacy.policy(principal.organisation).prompts

    async def _shield(self, principal: Principal, texts: list[str], call: Call) -> tuple[list[str], Shield | None]:
        """Pseudonymise what the model will see (off the event loop: detection is CPU work)."""
        if self._privacy is None or self._detecting is None or not self._pseudonymises(principal):
            return texts, None
        out, shield = await self._detecting.submit((principal, texts))
        if shield is not None:
            call.privacy = shield.note()
            if self._privacy.policy(principal.organisation).audit_text:
                call.prompt_text = messages_text(out)
        return out, shield

    async def _shield_chat(
        self, principal: Principal, request: ChatRequest, call: Call, context: int
    ) -> tuple[ChatRequest, Shield | None]:
        self.limits.check_chat(request, context)  # the limits hold for what the caller sent, too
        texts, shield = await self._shield(principal, [m.content for m in request.messages], call)
        if shield is None:
            return request, None
        messages = tuple(replace(m, content=t) for m, t in zip(request.messages, texts, strict=True))
        return replace(request, messages=messages), shield

    def _restore(self, shield: Shield, call: Call, text: str) -> str:
        """The answer with its pseudonyms restored, when the caller may see them."""
        if call.prompt_text is not None:
            call.answer_text = text
        if shield.restorer is None:
            return text
        return shield.restorer.feed(text) + shield.restorer.finish()

    # -- use-cases ------------------------------------------------------------------------------
    async def chat(self, principal: Principal, request: ChatRequest) -> Generation:
        call = self._call("chat", request.model, calls.chat_digest(request))
        call.collections = _collections(request)
        with self._recorded(principal, call):
            return await self._chat(principal, request, call)

    async def _chat(self, principal: Principal, request: ChatRequest, call: Call) -> Generation:
        endpoint = "chat"
        started = time.perf_counter()
        record, engine = self._enter(principal, request.model, Capability.CHAT, endpoint, call)
        try:
            await self._guard_input(principal, request.messages)
            hits: list[Hit] | None = None
            if request.retrieval is not None:
                request, hits = await self._ground(principal, request, engine.context_length, call)
                if not hits:
                    result = self._no_sources(request, bool(call.withheld))
                    self._done(principal, endpoint, record.name, started, result.usage)
                    call.completed(result.text, result.usage, result.grounding)
                    return result
            request, shield = await self._shield_chat(principal, request, call, engine.context_length)
            self.limits.check_chat(request, engine.context_length)
            result = await engine.chat(request)
            self._check_answer(principal, result.text)
            await self._check_with_model(principal, request.messages, result.text)
        except GarrisonError as exc:
            self._count_error(endpoint, record.name, exc)
            raise
        if shield is not None:
            result = replace(result, text=self._restore(shield, call, result.text), privacy=shield.note())
        if hits is not None:
            cites = answers.CitationFilter(len(hits))
            text = cites.filter(result.text)
            cited, attributed = self._cited(text, hits, cites.cited)
            if attributed:
                text += answers.sources_line(cited)
            if call.withheld:
                text += WITHHELD_NOTE
            grounding = self._grounding(request, hits, cited, attributed=attributed)
            result = replace(result, text=text, grounding=grounding)
        self._done(principal, endpoint, record.name, started, result.usage)
        call.completed(result.text, result.usage, result.grounding)
        return result

    # -- answers from documents -----------------------------------------------------------------
    async def _ground(
        self, principal: Principal, request: ChatRequest, context: int, call: Call
    ) -> tuple[ChatRequest, list[Hit]]:
        """Search the collections as the caller, keep what is relevant and fits, put it in the prompt."""
        retrieval = request.retrieval
        assert retrieval is not None
        if self._documents is None:
            raise InvalidRequest("document search is not available on this server", param="collections")
        question = next((m.content for m in reversed(request.messages) if m.role == "user"), "")
        if not question.strip():
            raise InvalidRequest("an answer from documents needs a user message to search for", param="messages")
        found = await asyncio.to_thread(
            self._documents.search, principal, retrieval.collections, question, SearchOptions(k=retrieval.k)
        )
        answer_room = request.sampling.max_tokens or 512
        budget = max(0, (context - answer_room) * 3 - self.limits.prompt_chars(request))
        hits = answers.fit(answers.relevant(found, self.min_similarity), budget)
        if self._guard is not None and hits:
            hits, withheld = await asyncio.to_thread(self._guard.screen_sources, principal, hits)
            call.withheld = tuple(h.chunk_id for h in withheld)
        call.sources = tuple(hits)
        if not hits:
            return request, []
        return replace(request, messages=answers.grounded_messages(request.messages, hits)), hits

    @staticmethod
    def _cited(text: str, hits: list[Hit], cited: list[int]) -> tuple[list[int], bool]:
        """The model's citations, or (when it gave none) the sources its sentences match."""
        if cited:
            return cited, False
        found = answers.attribute(text, hits)
        return found, bool(found)

    @staticmethod
    def _grounding(request: ChatRequest, hits: list[Hit], cited: list[int], *, attributed: bool = False) -> Grounding:
        return answers.grounding(hits, cited, _collections(request), attributed=attributed)

    def _no_sources(self, request: ChatRequest, withheld: bool = False) -> Generation:
        collections = _collections(request)
        text = answers.no_sources_text(collections) + (WITHHELD_NOTE if withheld else "")
        return Generation(text, "stop", Usage(), answers.grounding([], [], collections))

    async def _chat_stream(
        self, principal: Principal, request: ChatRequest, engine: Engine, call: Call
    ) -> AsyncIterator[Delta]:
        """A stream with sources, pseudonyms or both: searched and pseudonymised on the first pull
        (before the 200), restored and cited as it goes, finished with the grounding and the note."""
        await self._check_with_model(principal, request.messages)
        hits: list[Hit] | None = None
        if request.retrieval is not None:
            request, hits = await self._ground(principal, request, engine.context_length, call)
            if not hits:
                result = self._no_sources(request, bool(call.withheld))
                yield Delta(result.text, "stop", result.usage, grounding=result.grounding)
                return
        request, shield = await self._shield_chat(principal, request, call, engine.context_length)
        self.limits.check_chat(request, engine.context_length)
        cites = answers.CitationFilter(len(hits)) if hits else None
        restorer = shield.restorer if shield is not None else None
        watch = self._watch(principal)
        stream = engine.stream_chat(request)
        said: list[str] = []
        raw: list[str] = []
        last: Delta | None = None

        def clean(text: str, end: bool = False) -> str:
            raw.append(text)
            if watch is not None:
                text = watch.feed(text, final=end)  # the model's own text, checked before it goes out
            if restorer is not None:
                text = restorer.feed(text) + (restorer.finish() if end else "")
            if cites is not None:
                text = cites.feed(text) + (cites.finish() if end else "")
            return text

        try:
            async for delta in stream:
                if delta.finish_reason is not None or delta.usage is not None:
                    last = delta if last is None else _merge(last, delta)
                    continue  # the end: after any text still held back, with the grounding
                text = clean(delta.text) if delta.text else ""
                if text:
                    said.append(text)
                    yield replace(delta, text=text)
            last = last or Delta(finish_reason="stop")
            text = clean(last.text, end=True)
            await self._check_with_model(principal, request.messages, "".join(raw))  # the whole answer, at its end
            said.append(text)
            grounding = None
            if hits is not None and cites is not None:
                cited, attributed = self._cited("".join(said), hits, cites.cited)
                if attributed:
                    text += answers.sources_line(cited)
                grounding = self._grounding(request, hits, cited, attributed=attributed)
            if call.withheld:
                text += WITHHELD_NOTE
            if call.prompt_text is not None:
                call.answer_text = "".join(raw)
            note = shield.note() if shield is not None else None
            yield replace(last, text=text, grounding=grounding, privacy=note)
        finally:
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()

    def prepare_chat_stream(self, principal: Principal, request: ChatRequest) -> AsyncIterator[Delta]:
        """Check everything that can be checked before the first byte; return the delta stream."""
        call = self._call("chat", request.model, calls.chat_digest(request), stream=True)
        call.collections = _collections(request)
        with self._recorded(principal, call, only_failure=True):
            record, engine = self._enter(principal, request.model, Capability.STREAM, "chat", call)
            self._check_input(principal, request.messages)
            if request.retrieval is not None or self._pseudonymises(principal) or self._guard is not None:
                # searched, pseudonymised and watched when the stream is first pulled, before the 200
                staged = self._chat_stream(principal, request, engine, call)
                return self._metered(principal, "chat", record.name, staged, call)
            try:
                self.limits.check_chat(request, engine.context_length)
            except GarrisonError as exc:
                self._count_error("chat", record.name, exc)
                raise
        return self._metered(principal, "chat", record.name, engine.stream_chat(request), call)

    async def complete(self, principal: Principal, request: CompletionRequest) -> Generation:
        endpoint = "completions"
        started = time.perf_counter()
        call = self._call(endpoint, request.model, calls.completion_digest(request))
        with self._recorded(principal, call):
            record, engine = self._enter(principal, request.model, Capability.COMPLETION, endpoint, call)
            try:
                await self._guard_input(principal, (Message("user", request.prompt),))
                request, shield = await self._shield_prompt(principal, request, call, engine.context_length)
                self.limits.check_completion(request, engine.context_length)
                result = await engine.complete(request)
                self._check_answer(principal, result.text)
            except GarrisonError as exc:
                self._count_error(endpoint, record.name, exc)
                raise
            if shield is not None:
                result = replace(result, text=self._restore(shield, call, result.text), privacy=shield.note())
            self._done(principal, endpoint, record.name, started, result.usage)
            call.completed(result.text, result.usage)
        return result

    def prepare_completion_stream(self, principal: Principal, request: CompletionRequest) -> AsyncIterator[Delta]:
        call = self._call("completions", request.model, calls.completion_digest(request), stream=True)
        with self._recorded(principal, call, only_failure=True):
            record, engine = self._enter(principal, request.model, Capability.STREAM, "completions", call)
            self._check_input(principal, (Message("user", request.prompt),))
            if self._pseudonymises(principal) or self._guard is not None:
                staged = self._completion_stream(principal, request, engine, call)
                return self._metered(principal, "completions", record.name, staged, call)
            try:
                self.limits.check_completion(request, engine.context_length)
            except GarrisonError as exc:
                self._count_error("completions", record.name, exc)
                raise
        return self._metered(principal, "completions", record.name, engine.stream_complete(request), call)

    async def _completion_stream(
        self, principal: Principal, request: CompletionRequest, engine: Engine, call: Call
    ) -> AsyncIterator[Delta]:
        await self._check_with_model(principal, (Message("user", request.prompt),))
        request, shield = await self._shield_prompt(principal, request, call, engine.context_length)
        self.limits.check_completion(request, engine.context_length)
        restorer = shield.restorer if shield is not None else None
        watch = self._watch(principal)
        raw: list[str] = []
        stream = engine.stream_complete(request)
        try:
            async for delta in stream:
                raw.append(delta.text)
                text = delta.text
                if watch is not None:
                    text = watch.feed(text, final=delta.finish_reason is not None)
                text = restorer.feed(text) if restorer is not None and text else text
                end = delta.finish_reason is not None
                if end and restorer is not None:
                    text += restorer.finish()
                if end and shield is not None:
                    if call.prompt_text is not None:
                        call.answer_text = "".join(raw)
                    yield replace(delta, text=text, privacy=shield.note())
                elif text or delta.usage is not None or end:
                    yield replace(delta, text=text)
        finally:
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()

    async def _shield_prompt(
        self, principal: Principal, request: CompletionRequest, call: Call, context: int
    ) -> tuple[CompletionRequest, Shield | None]:
        self.limits.check_completion(request, context)
        texts, shield = await self._shield(principal, [request.prompt], call)
        return (replace(request, prompt=texts[0]), shield) if shield is not None else (request, None)

    async def embed(self, principal: Principal, request: EmbeddingRequest) -> Embeddings:
        endpoint = "embeddings"
        started = time.perf_counter()
        call = self._call(endpoint, request.model, calls.embedding_digest(request))
        with self._recorded(principal, call):
            record, engine = self._enter(principal, request.model, Capability.EMBEDDINGS, endpoint, call)
            try:
                self.limits.check_embedding(request)
                result = await engine.embed(request)
            except GarrisonError as exc:
                self._count_error(endpoint, record.name, exc)
                raise
            self._done(principal, endpoint, record.name, started, result.usage)
            call.completed(None, result.usage)
        return result

    async def _metered(
        self, principal: Principal, endpoint: str, model: str, stream: AsyncIterator[Delta], call: Call
    ) -> AsyncIterator[Delta]:
        started = time.perf_counter()
        pieces = 0
        usage = Usage()
        said: list[str] = []
        grounding = None
        with self._recorded(principal, call):
            try:
                async for delta in stream:
                    if delta.text:
                        if pieces == 0:
                            self.metrics.ttft.labels(model=model).observe(time.perf_counter() - started)
                        pieces += delta.pieces
                        said.append(delta.text)
                    if delta.usage is not None:
                        usage = delta.usage
                    if delta.grounding is not None:
                        grounding = delta.grounding
                    yield delta
            except GarrisonError as exc:
                self._count_error(endpoint, model, exc)
                raise
            except (GeneratorExit, asyncio.CancelledError):
                # the client went away: count it (nginx's 499) with the tokens it did receive
                self.metrics.requests.labels(endpoint=endpoint, model=model, status=CLIENT_CLOSED).inc()
                self.metrics.tokens.labels(model=model, kind="completion").inc(pieces)
                self.admission.charge(principal, model, Usage(usage.prompt_tokens, pieces))
                call.completed("".join(said), Usage(usage.prompt_tokens, pieces), grounding)  # then: cancelled
                raise
            finally:
                aclose = getattr(stream, "aclose", None)
                if aclose is not None:
                    await aclose()
            self._done(principal, endpoint, model, started, usage)
            call.completed("".join(said), usage, grounding)


def _merge(a: Delta, b: Delta) -> Delta:
    """Two closing steps of a stream (finish reason and usage may come apart) as one."""
    return Delta(a.text + b.text, b.finish_reason or a.finish_reason, b.usage or a.usage, a.pieces + b.pieces)


def _collections(request: ChatRequest) -> tuple[str, ...]:
    return request.retrieval.collections if request.retrieval is not None else ()
