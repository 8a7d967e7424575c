"""The language of a text, among those Garrison has pipelines for (lingua, offline n-gram models)."""

from __future__ import annotations

from collections.abc import Sequence

from lingua import Language, LanguageDetectorBuilder

_LINGUA = {"en": Language.ENGLISH, "fr": Language.FRENCH, "it": Language.ITALIAN, "de": Language.GERMAN}
MIN_CHARS = 12  # shorter text: the default language


class LanguageGuesser:
    def __init__(self, languages: Sequence[str], *, default: str = "en") -> None:
        unknown = [lang for lang in languages if lang not in _LINGUA]
        if unknown:
            raise ValueError(f"no language model for {', '.join(unknown)}")
        if default not in languages:
            raise ValueError(f"the default language {default!r} is not among {', '.join(languages)}")
        self.default = default
        self._codes = {_LINGUA[lang]: lang for lang in languages}
        self._detector = (
            LanguageDetectorBuilder.from_languages(*self._codes).with_preloaded_language_models().build()
            if len(languages) > 1
            else None
        )

    def detect(self, text: str) -> str:
        if self._detector is None or len(text.strip()) < MIN_CHARS:
            return self.default
        found = self._detector.detect_language_of(text)
        return self._codes.get(found, self.default) if found is not None else self.default
