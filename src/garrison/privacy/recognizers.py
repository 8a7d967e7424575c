"""Pattern recognisers for the identifiers European administrations handle, as Presidio recognisers.

Each recogniser finds candidates with a regular expression, checks them with python-stdnum where
the identifier has a check digit (IBAN, payment card, codice fiscale, NIR, Steuer-IdNr, SSN
rules), and scores them: a valid checksum scores high on its own, a format without a checksum
needs a context word (``passport``, ``né le``, ``Geburtsdatum`` ...) in the few words before it.
A candidate whose checksum fails is dropped, never reported.

Context is looked for in the raw text (the ``CONTEXT_WINDOW`` characters before the candidate,
case-insensitive), so it works the same for every language, with or without a spaCy model.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import phonenumbers
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from stdnum import iban, luhn
from stdnum.de import idnr
from stdnum.fr import nir
from stdnum.it import codicefiscale
from stdnum.us import ssn

CONTEXT_WINDOW = 48  # characters before a candidate searched for a context word

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|dicembre|"
    "januar|jänner|februar|märz|april|juni|juli|oktober|dezember|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|janv|févr|avr|juil|déc|gen|mag|giu|lug|ago|set|ott|dic|okt|dez"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"


@dataclass(frozen=True, slots=True)
class Rule:
    """One way an identifier is written, and how much a match of it is worth."""

    pattern: str
    score: float  # without a context word (0: only with context)
    score_context: float  # with a context word before it
    flags: int = 0


class CheckedRecognizer(EntityRecognizer):
    """Candidates from regular expressions, kept when ``valid`` says so, scored by context."""

    ENTITY = ""
    RULES: Sequence[Rule] = ()
    CONTEXT: Sequence[str] = ()  # lower-case words or phrases

    def __init__(self, language: str) -> None:
        self._compiled = [(re.compile(r.pattern, r.flags), r) for r in self.RULES]
        self._context = re.compile(
            "|".join(rf"(?<!\w){re.escape(c)}" for c in sorted(self.CONTEXT, key=len, reverse=True)), re.IGNORECASE
        )
        super().__init__(supported_entities=[self.ENTITY], supported_language=language, name=type(self).__name__)

    def load(self) -> None:
        pass

    def valid(self, candidate: str) -> bool:
        return True

    def has_context(self, text: str, start: int) -> bool:
        if not self.CONTEXT:
            return False
        return self._context.search(text, max(0, start - CONTEXT_WINDOW), start) is not None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        out: list[RecognizerResult] = []
        taken: list[tuple[int, int]] = []
        for pattern, rule in self._compiled:
            for m in pattern.finditer(text):
                start, end = m.span(1) if pattern.groups else m.span()
                if any(start < e and end > s for s, e in taken) or not self.valid(text[start:end]):
                    continue
                score = rule.score_context if self.has_context(text, start) else rule.score
                if score > 0:
                    taken.append((start, end))
                    out.append(RecognizerResult(self.ENTITY, start, end, score))
        return out


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


class EmailPattern(CheckedRecognizer):
    """Addresses with a dotted domain (no lookup of the suffix list, which Presidio's would fetch)."""

    ENTITY = "EMAIL_ADDRESS"
    RULES = (
        Rule(
            r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,24})(?![\w-])",
            0.9,
            1.0,
        ),
    )
    CONTEXT = ("email", "e-mail", "mail", "courriel", "posta elettronica", "pec")


class IbanPattern(CheckedRecognizer):
    """IBAN, compact or in groups of four, checked with ISO 7064 mod 97 and the country's length."""

    ENTITY = "IBAN_CODE"
    RULES = (Rule(r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30})(?![A-Za-z0-9])", 0.95, 1.0),)
    CONTEXT = ("iban", "bank", "banca", "banque", "konto", "compte", "conto", "account", "bonifico", "virement")

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        # a grouped IBAN may run into the next word ("... 1234 5678 AB"): try shorter ends, word by word
        out: list[RecognizerResult] = []
        if entities and self.ENTITY not in entities:
            return out
        for m in re.finditer(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}", text):
            value = m.group()
            cuts = [len(value)] + [i for i in range(len(value) - 1, 14, -1) if value[i] == " "]
            for cut in cuts:
                if iban.is_valid(value[:cut]):
                    score = 1.0 if self.has_context(text, m.start()) else 0.95
                    out.append(RecognizerResult(self.ENTITY, m.start(), m.start() + cut, score))
                    break
        return out


_CARD_PREFIX = re.compile(r"^(?:4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|3(?:0[0-5]|[689])|6(?:011|5|4[4-9])|35)")


class CreditCardPattern(CheckedRecognizer):
    """Payment cards: 13 to 19 digits (spaces or dashes between groups), a known issuer prefix, Luhn."""

    ENTITY = "CREDIT_CARD"
    RULES = (Rule(r"(?<![\d-])(\d{4}(?:[ -]?\d{2,6}){2,4})(?![\d-])", 0.9, 1.0),)
    CONTEXT = ("card", "carte", "carta", "karte", "visa", "mastercard", "amex", "cb", "kreditkarte")

    def valid(self, candidate: str) -> bool:
        digits = _digits(candidate)
        return 13 <= len(digits) <= 19 and bool(_CARD_PREFIX.match(digits)) and luhn.is_valid(digits)


class IpPattern(CheckedRecognizer):
    """IPv4 and IPv6 addresses (not version numbers: ``v2.14.3.1`` or ``version 1.2.3.4``)."""

    ENTITY = "IP_ADDRESS"
    RULES = (
        Rule(r"(?<![\w.])((?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d))(?!\w|\.\d)", 0.8, 0.95),
        Rule(r"(?<![\w:])((?:[0-9A-Fa-f]{1,4}:){2,7}(?::|[0-9A-Fa-f]{1,4})(?:[0-9A-Fa-f:]*))(?![\w:])", 0.8, 0.95),
    )
    CONTEXT = ("ip", "address", "adresse", "indirizzo", "host", "server")
    _VERSION = re.compile(r"(?:\bv|version|versione|fw|firmware|release|build)\s*$", re.IGNORECASE)

    def valid(self, candidate: str) -> bool:
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            return False
        return True

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        found = super().analyze(text, entities, nlp_artifacts)
        return [r for r in found if not self._VERSION.search(text, max(0, r.start - 12), r.start)]


class ItalianFiscalCodePattern(CheckedRecognizer):
    """Codice fiscale: 16 characters (omocodia letters allowed), with its check character."""

    ENTITY = "IT_FISCAL_CODE"
    _D = "[0-9LMNPQRSTUV]"
    _CF = rf"[A-Z]{{6}}{_D}{{2}}[ABCDEHLMPRST]{_D}{{2}}[A-Z]{_D}{{3}}[A-Z]"
    RULES = (Rule(rf"(?<![A-Za-z0-9])({_CF})(?![A-Za-z0-9])", 0.95, 1.0, re.IGNORECASE),)
    CONTEXT = ("codice fiscale", "c.f.", "cf", "fiscal code", "tax code")

    def valid(self, candidate: str) -> bool:
        return bool(codicefiscale.is_valid(candidate.upper()))


class FrenchNirPattern(CheckedRecognizer):
    """NIR (numéro de sécurité sociale): 13 digits and a 2-digit key (97 - n mod 97), Corsica 2A/2B."""

    ENTITY = "FR_NIR"
    RULES = (
        Rule(
            r"(?<![\w])([12478][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .]?(?:\d{2}|2[ABab])"
            r"[ .]?\d{3}[ .]?\d{3}[ .]?\d{2})(?![\w])",
            0.85,
            1.0,
        ),
    )
    CONTEXT = ("sécurité sociale", "securite sociale", "nir", "insee", "social security", "sécu", "n° ss", "numéro ss")

    def valid(self, candidate: str) -> bool:
        return bool(nir.is_valid(re.sub(r"[ .]", "", candidate).upper()))


class GermanTaxIdPattern(CheckedRecognizer):
    """Steuerliche Identifikationsnummer: 11 digits, ISO 7064 check digit and the digit rules."""

    ENTITY = "DE_TAX_ID"
    RULES = (Rule(r"(?<![\d+/-])([1-9]\d(?:[ ]?\d{3}){3})(?![\d-])", 0.6, 1.0),)
    CONTEXT = ("steuer-id", "steuerid", "steuer-idnr", "idnr", "identifikationsnummer", "steuerliche", "tax id", "tin")

    def valid(self, candidate: str) -> bool:
        return bool(idnr.is_valid(_digits(candidate)))


class UkNinoPattern(CheckedRecognizer):
    """National Insurance number: two letters (the excluded prefixes refused), six digits, A-D."""

    ENTITY = "UK_NINO"
    RULES = (
        Rule(
            r"(?<![A-Za-z0-9])((?!BG|GB|NK|KN|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
            r" ?\d{2} ?\d{2} ?\d{2} ?[A-D])(?![A-Za-z0-9])",
            0.6,
            0.95,
        ),
    )
    CONTEXT = ("national insurance", "ni number", "nino", "ni no", "nin")


class UsSsnPattern(CheckedRecognizer):
    """US social security number: the SSA's rules for area, group and serial (no 000, 666, 9xx...)."""

    ENTITY = "US_SSN"
    RULES = (
        Rule(r"(?<![\d-])(\d{3}-\d{2}-\d{4})(?![\d-])", 0.6, 0.95),
        Rule(r"(?<![\d-])(\d{3} \d{2} \d{4})(?![\d-])", 0.4, 0.95),
        Rule(r"(?<![\d-])(\d{9})(?![\d-])", 0.0, 0.85),
    )
    CONTEXT = ("ssn", "social security", "social-security", "sécurité sociale américaine")

    def valid(self, candidate: str) -> bool:
        return bool(ssn.is_valid(_digits(candidate)))


class PassportPattern(CheckedRecognizer):
    """Passport numbers of any country: only where the words before say passport."""

    ENTITY = "PASSPORT"
    RULES = (Rule(r"(?<![A-Za-z0-9])((?=[A-Z]*\d)[A-Z0-9]{6,9})(?![A-Za-z0-9])", 0.0, 0.8),)
    CONTEXT = (
        "passport", "passeport", "passaporto", "reisepass", "pass-nr", "passnummer", "pass nr", "passport no",
        "n° de passeport", "numéro de passeport", "numero di passaporto", "travel document", "document de voyage",
    )  # fmt: skip


class DateOfBirthPattern(CheckedRecognizer):
    """A date that the words before call someone's birth date."""

    ENTITY = "DATE_OF_BIRTH"
    RULES = (
        Rule(rf"(?<![\d/.-])({_DAY}[./-]{_MONTH}[./-]{_YEAR})(?![\d/.-])", 0.0, 0.85),
        Rule(rf"(?<![\d/.-])({_YEAR}-{_MONTH}-{_DAY})(?![\d/.-])", 0.0, 0.85),
        Rule(rf"(?<!\w)({_DAY}(?:er|st|nd|rd|th|°|º)?\.? (?:{_MONTHS})\.? {_YEAR})(?!\w)", 0.0, 0.85, re.IGNORECASE),
        Rule(rf"(?<!\w)((?:{_MONTHS})\.? {_DAY}(?:st|nd|rd|th)?,? {_YEAR})(?!\w)", 0.0, 0.85, re.IGNORECASE),
    )
    CONTEXT = (
        "born", "birth", "dob", "d.o.b", "né le", "née le", "né", "née", "naissance", "nato il", "nata il", "nato",
        "nata", "nascita", "geboren", "geb.", "geburtsdatum", "geburtstag", "date de naissance", "data di nascita",
        "date of birth",
    )  # fmt: skip
    _HEADER = re.compile(
        r"^[^\n]*(?:dob|birth|naissance|nascita|geburt)[^\n]*[,;|\t][^\n]*$", re.IGNORECASE | re.MULTILINE
    )

    def has_context(self, text: str, start: int) -> bool:
        if super().has_context(text, start):
            return True
        header = self._HEADER.search(text, 0, start)  # a table whose header names a birth date column
        return header is not None and header.end() < start


_DATE_LIKE = re.compile(rf"{_DAY}[./-]{_MONTH}[./-](?:{_YEAR}|\d{{2}})|{_YEAR}[./-]{_MONTH}[./-]{_DAY}")


# Regions whose national formats are tried first for a text in each language; a number written
# with its country code (+39, 0049 ...) is recognised whatever the language.
PHONE_REGIONS: dict[str, tuple[str, ...]] = {
    "en": ("GB", "US", "IE"),
    "fr": ("FR", "BE", "CH"),
    "it": ("IT", "CH"),
    "de": ("DE", "AT", "CH"),
}


class PhonePattern(CheckedRecognizer):
    """Telephone numbers that libphonenumber (the ``phonenumbers`` port) finds valid."""

    ENTITY = "PHONE_NUMBER"
    CONTEXT = ("tel", "tél", "phone", "telefono", "telefon", "cell", "mobile", "portable", "handy", "fax", "numéro")

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        seen: dict[tuple[int, int], float] = {}
        for region in PHONE_REGIONS.get(self.supported_language, ("GB",)):
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
                raw = match.raw_string
                if _DATE_LIKE.fullmatch(raw) or (match.start > 1 and text[match.start - 1] in "-/#"):
                    continue  # 06.02.2023, PO-2024-124150, Merkblatt 0782/2021
                international = raw.lstrip("(").startswith(("+", "00"))
                grouped = any(c in raw for c in " -.()")
                score = 0.75 if international else (0.6 if grouped and "/" not in raw else 0.4)
                if self.has_context(text, match.start):
                    score = 0.95
                seen[(match.start, match.end)] = max(score, seen.get((match.start, match.end), 0.0))
        return [RecognizerResult(self.ENTITY, s, e, score) for (s, e), score in seen.items()]


RECOGNIZERS: tuple[type[CheckedRecognizer], ...] = (
    EmailPattern,
    IbanPattern,
    CreditCardPattern,
    IpPattern,
    ItalianFiscalCodePattern,
    FrenchNirPattern,
    GermanTaxIdPattern,
    UkNinoPattern,
    UsSsnPattern,
    PassportPattern,
    DateOfBirthPattern,
    PhonePattern,
)


def pattern_recognizers(languages: Iterable[str]) -> list[CheckedRecognizer]:
    """One instance of every pattern recogniser per language."""
    return [cls(language) for language in languages for cls in RECOGNIZERS]
