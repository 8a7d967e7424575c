"""Names of people, places and organisations from gazetteers and context, for every language.

The statistical NER models Garrison can ship offline cover English and French only (no Italian or
German spaCy pipeline is on PyPI), so this recogniser finds names the same way in all four
languages and adds to (or, with a higher score, corrects) what a model finds:

- a person: a known given name followed by capitalised words ("Giulia Ferraresi", "Hans-Peter
  Schneider", "Anna Maria de Luca"); a title or rank followed by capitalised words ("Herr Vogel",
  "Dott.ssa Conti", "Colonel Dupont"); a form's surname in capitals before a given name ("ROSSI
  Mario"); the value after a form's name field ("Cognome: Bianchi"); a known given name alone;
- a place: a gazetteer of countries, regions and cities in their English, French, Italian and
  German names (``data/places.txt``), and street addresses ("Via Nazionale 12", "Rue de Rivoli",
  "Hauptstraße 5");
- an organisation: a capitalised name that starts with an institution word (Ministero,
  Bundesamt, Agence, University ...) or ends with a legal form (GmbH, S.p.A., SARL, Ltd ...), or
  a known acronym (NATO, Europol, BKA ...).

The gazetteers come from names-dataset and GeoNames, derived by ``scripts/build_gazetteers.py``
(``data/README.md`` gives the sources, licences and selection rules).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Doc, Token

NAME_SCORE = 0.88  # above the statistical models' 0.85, so a gazetteer place corrects a PER
TITLE_SCORE = 0.9
FIRST_NAME_ALONE = 0.6
PLACE_SCORE = 0.87
PLACE_WEAK = 0.55  # a place name not after a preposition: kept, but a model's label wins
ORG_SCORE = 0.86

TITLES = frozenset(
    """mr mrs ms miss dr prof sir lady lord dame herr frau fräulein hr fr sig sig.ra sig.na signor signora
    signorina dott dott.ssa dottor dottore dottoressa avv avvocato ing ingegnere geom rag arch on onorevole
    m mme mlle me monsieur madame mademoiselle maître docteur professeur professor professore professoressa
    oberst oberstleutnant hauptmann major general generalleutnant brigadegeneral leutnant oberleutnant
    feldwebel hauptfeldwebel stabsfeldwebel unteroffizier kapitän kommissar kriminalkommissar inspektor
    colonel lieutenant capitaine commandant sergent adjudant général amiral capitano colonnello tenente
    maresciallo sergente generale ammiraglio maggiore brigadiere appuntato commissario ispettore
    vicequestore questore captain sergeant lt col capt cpt sgt maj gen adm cdr inspector agent officer
    detective constable pc dc ambassador ambassadeur ambasciatore botschafter minister ministre ministro
    senator senatore sénateur""".split()  # noqa: SIM905
)
PARTICLES = frozenset(
    """de di da del della dei degli van von der den ter ten du des le la lo bin ben al el dos das do mac st""".split()  # noqa: SIM905
)
FORM_FIELDS = re.compile(
    r"(?:^|\n|[;|,]\s*)(?:nome|cognome|nominativo|name|vorname|nachname|familienname|nom|prénom|prenom|"
    r"surname|first name|last name|full name|given name|family name|nom de famille|titolare|inhaber|"
    r"beneficiario|beneficiary|bénéficiaire|begünstigter|contact|contatto|kontakt|referente|"
    r"ansprechpartner|interlocuteur)\s*[:=]\s*",
    re.IGNORECASE,
)
PLACE_PREPOSITIONS = frozenset(
    """in at from to near of à a au aux en de du des vers près da di dal dalla nel nella presso verso per nach
    aus bei von vom zu zum zur im am über via between entre tra fra zwischen""".split()  # noqa: SIM905
)
STREET_WORDS = (
    "via|viale|piazza|piazzale|corso|largo|vicolo|strada|lungomare|rue|avenue|av\\.|boulevard|bd|place|quai|"
    "chemin|allée|impasse|route|cours|street|st\\.|road|rd\\.|lane|avenue|drive|square|way"
)
_POSTCODE_CITY = r"(?:,\s*\d{4,5}\s+[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)?)?"
_UK_CITY = r"(?:,\s*[A-Z][a-z]+(?:\s+[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})?)?"
STREET = re.compile(
    rf"\b(?:{STREET_WORDS})\s+(?:(?:de|del|della|dei|delle|degli|di|du|des|de la|d'|of|the)\s*)?"
    r"[A-ZÀ-Ý][\w'’.-]*(?:\s+(?:[A-ZÀ-Ý][\w'’.-]*|de|di|del|della|du|des|la|le))*"
    r"(?:,?\s+\d{1,4}[a-zA-Z]?)?" + _POSTCODE_CITY + "|"
    r"\b\d{1,4}[a-zA-Z]?,?\s+(?:rue|avenue|boulevard|bd|place|quai|chemin|allée|impasse|route)\s+"
    r"(?:(?:de|du|des|de la|d')\s*)?[A-ZÀ-Ý][\w'’.-]*(?:\s+[A-ZÀ-Ý][\w'’.-]*)*" + _POSTCODE_CITY + "|"
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St\.|Road|Rd\.|Lane|Avenue|Ave\.|Drive|Square|Way)\b"
    + _UK_CITY
    + r"|\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee)"
    r"(?:\s+\d{1,4}[a-zA-Z]?)?" + _POSTCODE_CITY + ""
    r"|\b(?:Am|An der|Auf der|Im|In der|Unter den)\s+[A-ZÄÖÜ][\wäöüß-]+\s+\d{1,4}[a-zA-Z]?",
)
# a place named by what is there: "the air base at Akrotiri", "base aerea di Aviano", "RAF Marham"
PLACE_CONTEXT = re.compile(
    r"(?:air ?base (?:at|of|in)|airbase|airfield|base aerea di|base aérienne(?: de| d'|)|aeroporto di|airport of|"
    r"aéroport de|Fliegerhorst|Luftwaffenstützpunkt|Stützpunkt|Flughafen|Kaserne in|caserma di|camp de|"
    r"RAF|NAS|Camp)\s+((?:[A-ZÀ-Ý][\w'’-]+)(?:\s+[A-ZÀ-Ý][\w'’-]+)?)"
)
ORG_SUFFIXES = (  # the end of a German compound that names an institution: Panzergrenadierbrigade, Finanzamt
    "brigade", "bataillon", "regiment", "geschwader", "kommando", "ministerium", "amt", "behörde", "gericht",
    "polizei", "bank", "kasse", "direktion", "verwaltung", "dienst", "zentrum", "institut", "klinik", "klinikum",
    "schule", "akademie", "werft", "werke",
)  # fmt: skip
ORG_ENDS = frozenset(
    """international aerospace police systems technologies technology defence defense dynamics society airlines
    airways motors energy telecom holdings partners consulting engineering logistics services solutions industries
    electronics agency division squadron wing command brigade regiment battalion fleet corps guard authority bureau
    office council commission ministry department court bank""".split()  # noqa: SIM905
)
_DETERMINERS = frozenset("the a an die der das den dem des ein eine la le les l' il lo gli i un une una".split())  # noqa: SIM905
ORG_STARTS = frozenset(
    """ministero ministry ministère ministerium bundesministerium bundesamt bundesanstalt bundesagentur
    bundesministerin landesamt landeskriminalamt bundeskriminalamt agenzia agency agence agentur autorità
    autorité authority behörde banca bank banque sparkasse volksbank raiffeisenbank cassa caisse crédit
    credito università university université universität hochschule politecnico ospedale hospital hôpital
    klinikum krankenhaus clinica clinique policlinico comando command commandement kommando direzione
    direction directorate direktion polizia police polizei gendarmerie guardia carabinieri comune regione
    provincia prefettura préfecture questura camera chambre corte court cour tribunale tribunal gericht
    landgericht amtsgericht oberlandesgericht bundesgericht istituto institute institut ufficio office amt
    servizio service dipartimento department département centro centre zentrum center fondazione foundation
    fondation stiftung reggimento regiment régiment brigata brigade battaglione battalion bataillon
    squadriglia squadron escadron escadrille staffel geschwader stormo reparto arsenale arsenal deposito
    depot dépôt direzione marina armée army armee esercito aeronautica luftwaffe marine bundeswehr deutsche
    europäische european européenne europea nationale national nazionale consiglio council conseil rat
    commissione commission kommission parlamento parliament parlement ambasciata embassy ambassade botschaft
    consolato consulate consulat konsulat scuola school école schule accademia academy académie akademie
    laboratorio laboratory laboratoire labor""".split()  # noqa: SIM905
)
ORG_FORMS = re.compile(
    r"(?:GmbH(?: & Co\. KG)?|AG|SE|KG|KGaA|OHG|e\.\s?V\.|S\.p\.A\.|SpA|S\.r\.l\.|Srl|S\.n\.c\.|S\.A\.S?\.?|SAS|SA|"
    r"SARL|S\.à r\.l\.|Ltd\.?|Limited|plc|PLC|LLP|Inc\.?|LLC|Corp\.?|Corporation|N\.V\.|NV|B\.V\.|BV|Group|"
    r"Holding|Gruppe|Groupe|Gruppo)(?!\w)"
)
ORG_ACRONYMS = frozenset(
    """NATO OTAN UN ONU UNO EU UE OSCE OSZE OCSE OECD OCDE IAEA AIEA WHO OMS OMS IMF FMI Europol Eurojust
    Frontex Interpol EUROPOL INTERPOL FRONTEX EASA ESA EDA ECB BCE EZB EIB BEI BND BfV MAD BKA LKA BSI BaFin
    Bundesbank Bundeswehr Bundespolizei Zoll DGSE DGSI DRSD DGA ANSSI TRACFIN ACPR AMF DGFiP AISE AISI DIS
    UIF GdF ENAC Consob Carabinieri MI5 MI6 GCHQ NCA HMRC FCA NCSC MoD FBI CIA NSA DIA DoD DHS IRS FinCEN
    SEC FIU CERT CSIRT SHAPE NCIA NSPA JFC ACT ACO EEAS SEAE SATCEN""".split()  # noqa: SIM905
)
_WORD = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’-]*$")


@dataclass(frozen=True, slots=True)
class Gazetteer:
    first_names: frozenset[str]
    surnames: frozenset[str]
    places: dict[str, tuple[tuple[str, ...], ...]]  # first word (casefolded) -> place names as word tuples

    def place_at(self, words: list[str], i: int) -> int:
        """The number of words of the longest place name starting at ``words[i]`` (0: none)."""
        for candidate in self.places.get(words[i].casefold(), ()):
            n = len(candidate)
            if tuple(w.casefold() for w in words[i : i + n]) == candidate:
                return n
        return 0


def _lines(name: str) -> list[str]:
    text = resources.files("garrison.privacy").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def gazetteer() -> Gazetteer:
    """The packaged gazetteers, read once (about 1 MB)."""
    places: dict[str, list[tuple[str, ...]]] = {}
    for line in _lines("places.txt"):
        words = tuple(t.casefold() for t in _tokens(line))
        if words:
            places.setdefault(words[0], []).append(words)
    return Gazetteer(
        first_names=frozenset(_lines("first_names.txt")),
        surnames=frozenset(s.casefold() for s in _lines("surnames.txt")),
        places={k: tuple(sorted(set(v), key=len, reverse=True)) for k, v in places.items()},
    )


_TOKEN = re.compile(r"[\w'’.-]+|[^\w\s]")


def _tokens(text: str) -> list[str]:
    return [t.rstrip(".") if not t.endswith("..") and len(t) > 1 else t for t in _TOKEN.findall(text)]


def _name_like(token: Token, stop: frozenset[str]) -> bool:
    t = token.text
    return (
        len(t) >= 2
        and bool(_WORD.match(t))
        and t.casefold() not in stop
        and not any(c.isdigit() for c in t)
        and (
            t[0].isupper() and (t[1:].islower() or t.isupper() or "-" in t or "'" in t or "’" in t or t[1:2].isupper())
        )
    )


class NameRecognizer(EntityRecognizer):
    """PERSON, LOCATION and ORGANIZATION from gazetteers and context, on the spaCy tokens."""

    ENTITIES = ("PERSON", "LOCATION", "ORGANIZATION")

    def __init__(self, language: str, names: Gazetteer, stop_words: frozenset[str]) -> None:
        self._g = names
        self._stop = frozenset(w.casefold() for w in stop_words)
        super().__init__(supported_entities=list(self.ENTITIES), supported_language=language, name="NameRecognizer")

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None or nlp_artifacts.tokens is None:
            return []
        doc: Doc = nlp_artifacts.tokens
        wanted = set(entities or self.ENTITIES)
        out: list[RecognizerResult] = []
        stop = self._stop
        if "LOCATION" in wanted:
            out.extend(self._places(text, doc))
        if "PERSON" in wanted:
            out.extend(self._people(text, doc, stop))
        if "ORGANIZATION" in wanted:
            out.extend(self._organisations(text, doc, stop))
        return out

    # -- people ---------------------------------------------------------------------------------
    def _people(self, text: str, doc: Doc, stop: frozenset[str]) -> Iterator[RecognizerResult]:
        g = self._g
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            word = tok.text
            found: tuple[int, int, float] | None = None
            if _is_title(doc, i):
                j = i + 1
                while j < n and doc[j].text == ".":
                    j += 1
                end = self._extend(doc, j, stop, limit=4)
                if end > j:
                    found = (j, end, TITLE_SCORE)
            elif word in g.first_names and _name_like(tok, stop):
                end = self._extend(doc, i + 1, stop, limit=4)
                if end > i + 1:
                    found = (i, end, NAME_SCORE)
                elif not tok.is_sent_start or (i + 1 < n and doc[i + 1].text in (",", ":")):
                    found = (i, i + 1, FIRST_NAME_ALONE)
            elif (
                word.isupper()
                and len(word) > 1
                and word.casefold() not in stop
                and i + 1 < n
                and (doc[i + 1].text in g.first_names or doc[i + 1].text.capitalize() in g.first_names)
                and word.casefold() in g.surnames
            ):
                end = self._extend(doc, i + 2, stop, limit=2)
                found = (i, max(end, i + 2), NAME_SCORE)
            if found is not None:
                s, e, score = found
                yield RecognizerResult("PERSON", doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), score)
                i = e
            else:
                i += 1
        for m in FORM_FIELDS.finditer(text):
            span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
            if span is None:
                continue
            j = span.start
            end = self._extend(doc, j, stop, limit=4)
            if end > j:
                yield RecognizerResult("PERSON", doc[j].idx, doc[end - 1].idx + len(doc[end - 1].text), TITLE_SCORE)

    def _extend(self, doc: Doc, j: int, stop: frozenset[str], *, limit: int) -> int:
        """The end of the run of name words (with particles inside) that starts at ``j``."""
        end = j
        k = j
        while k < len(doc) and k - j < limit + 2:
            t = doc[k]
            known = t.text in self._g.first_names or t.text.casefold() in self._g.surnames
            if _name_like(t, stop) and not (
                k > j and not known and self._g.place_at([x.text for x in doc[k : k + 4]], 0)
            ):
                k += 1
                end = k
            elif (
                t.text.casefold() in PARTICLES and k > j - 1 and k + 1 < len(doc) and _name_like(doc[k + 1], stop)
            ) or (t.text in ("d'", "D'", "O'", "d’") and k + 1 < len(doc)):
                k += 1
            else:
                break
        return end

    # -- places ---------------------------------------------------------------------------------
    def _places(self, text: str, doc: Doc) -> Iterator[RecognizerResult]:
        words = [t.text for t in doc]
        i = 0
        while i < len(doc):
            tok = doc[i]
            if tok.text[:1].isupper() and (n := self._g.place_at(words, i)):
                before = doc[i - 1].text.casefold() if i > 0 else ""
                score = PLACE_SCORE if before in PLACE_PREPOSITIONS or before in ("(", ",", "-") else PLACE_WEAK
                end = doc[i + n - 1]
                yield RecognizerResult("LOCATION", tok.idx, end.idx + len(end.text), score)
                i += n
            else:
                i += 1
        for m in STREET.finditer(text):
            yield RecognizerResult("LOCATION", m.start(), m.end(), PLACE_SCORE + 0.02)
        for m in PLACE_CONTEXT.finditer(text):
            yield RecognizerResult("LOCATION", m.start(1), m.end(1), PLACE_SCORE)

    # -- organisations --------------------------------------------------------------------------
    def _org_run(self, doc: Doc, i: int, stop: frozenset[str]) -> tuple[int, int] | None:
        """The organisation around an institution word at ``i`` (``ORG_STARTS``/``ORG_ENDS`` or a
        German compound ending like one): back over the capitalised words just before it ("Babcock
        International"), forward over capitalised words and joining words ("Ministry of Defence")."""
        low = doc[i].text.casefold()
        if not doc[i].text[:1].isupper() or not (low in ORG_STARTS or low in ORG_ENDS or _compound(low)):
            return None
        start = i
        while start > 0 and start > i - 4:
            before = doc[start - 1]
            word = before.text
            if not word[:1].isupper() or word.casefold() in _DETERMINERS or word.casefold() in stop:
                break
            if before.is_sent_start or (not word.isalpha() and word not in ORG_ACRONYMS):
                break
            start -= 1
        n = len(doc)
        end = i + 1
        k = i + 1
        while k < n and k - i < 12:
            t = doc[k].text
            low = t.casefold()
            if t[:1].isupper() or t in ORG_ACRONYMS or (t.isdigit() and len(t) <= 4):
                k += 1
                end = k
            elif (low in _ORG_GLUE or low.rstrip("'’") in _ELISIONS or t in ("&", "-")) and k + 1 < n:
                nxt = doc[k + 1].text
                if not (nxt[:1].isupper() or nxt.casefold() in _ORG_GLUE):
                    break
                k += 1
            else:
                break
        if end - start == 1 and low in ORG_STARTS | ORG_ENDS:
            return None  # a lone "Bank", "Ministry": a word, not a name
        return start, end

    def _organisations(self, text: str, doc: Doc, stop: frozenset[str]) -> Iterator[RecognizerResult]:
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            w = tok.text
            if w in ORG_ACRONYMS:
                yield RecognizerResult("ORGANIZATION", tok.idx, tok.idx + len(w), ORG_SCORE)
                i += 1
                continue
            run = self._org_run(doc, i, stop)
            if run is not None:
                head, tail = doc[run[0]], doc[run[1] - 1]
                yield RecognizerResult("ORGANIZATION", head.idx, tail.idx + len(tail.text), ORG_SCORE)
                i = run[1]
                continue
            i += 1
        for m in ORG_FORMS.finditer(text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None or span.start == 0:
                continue
            k = span.start - 1
            first = span.start
            while k >= 0 and span.start - k <= 5:
                t = doc[k].text
                if t[:1].isupper() or t == "&" or (t.casefold() in _ORG_GLUE and k < span.start - 1):
                    first = k if t[:1].isupper() else first
                    k -= 1
                else:
                    break
            if first < span.start:
                yield RecognizerResult("ORGANIZATION", doc[first].idx, m.end(), ORG_SCORE + 0.02)


_ELISIONS = frozenset("dell dall nell sull all d l de".split())  # noqa: SIM905


def _compound(word: str) -> bool:
    return len(word) > 8 and word.endswith(ORG_SUFFIXES)


_ORG_GLUE = frozenset(
    """of the for and de du des la le d' di del della dello dei degli delle per e ed für der des die das und am
    an im zur zum et en y""".split()  # noqa: SIM905
)


_DOTTED_TITLES = frozenset(["m", "hr", "fr", "on", "me", "pc", "dc", "st"])  # only as abbreviations: "M. Dupont"


def _is_title(doc: Doc, i: int) -> bool:
    text = doc[i].text
    word = text.casefold().rstrip(".")
    if word not in TITLES or not text[:1].isupper():
        return False
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    dotted = text.endswith(".") or (nxt is not None and nxt.text == ".")
    if word in _DOTTED_TITLES and not dotted:
        return False
    if nxt is not None and nxt.text == ".":
        nxt = doc[i + 2] if i + 2 < len(doc) else None
    return nxt is not None and nxt.text[:1].isupper()
