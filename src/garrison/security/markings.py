"""Classification markings: parse, format, compare, combine. Pure: no I/O, no state.

The model (design.md): a marking is a level on one common ladder, a releasability (the nations a
reader's nationality must be in; ``None`` when the marking sets none) and a set of caveats (the
reader must hold every one). National and organisational level names map onto the ladder; groups
(FVEY, NATO, EU) expand to their member nations; NOFORN means the originator's nation only.

Anything that does not parse raises :class:`MarkingError` with what was expected: a marking is
never silently defaulted, since a wrong default would either hide data or leak it.
"""

from __future__ import annotations

import re
from functools import cache

from garrison.core.errors import InvalidRequest
from garrison.core.markings import GROUPS, UNCLASSIFIED, Level, Marking, combine_all

__all__ = [
    "GROUPS",
    "UNCLASSIFIED",
    "Level",
    "Marking",
    "MarkingError",
    "caveat",
    "combine_all",
    "expand",
    "level",
    "nation",
    "parse",
    "parse_portion",
    "split_portion",
]


class MarkingError(InvalidRequest):
    code = "invalid_marking"


# Level names of nations and organisations, mapped onto the common ladder. Where a national level
# has no exact NATO equivalent it maps to the higher rung (over-protecting never leaks).
# An organisational name also implies releasability to that organisation's members.
_NAMES: dict[str, tuple[Level, str | None]] = {}


def _names(level: Level, org: str | None, *names: str) -> None:
    for name in names:
        _NAMES[_norm(name)] = (level, org)


def _norm(text: str) -> str:
    text = text.upper().replace("É", "E").replace("È", "E").replace("Ü", "UE").replace("-", " ")
    return re.sub(r"\s+", " ", text).strip()


U, R, C, S, TS = Level.UNCLASSIFIED, Level.RESTRICTED, Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET
# the common ladder, and the United States
_names(U, None, "UNCLASSIFIED", "U")
_names(R, None, "RESTRICTED", "R")
_names(C, None, "CONFIDENTIAL", "C")
_names(S, None, "SECRET", "S")
_names(TS, None, "TOP SECRET", "TS")
# NATO and the EU
_names(U, "NATO", "NATO UNCLASSIFIED", "NU")
_names(R, "NATO", "NATO RESTRICTED", "NR")
_names(C, "NATO", "NATO CONFIDENTIAL", "NC")
_names(S, "NATO", "NATO SECRET", "NS")
_names(TS, "NATO", "COSMIC TOP SECRET", "CTS")
_names(R, "EU", "RESTREINT UE/EU RESTRICTED", "RESTREINT UE", "EU RESTRICTED", "RUE")
_names(C, "EU", "CONFIDENTIEL UE/EU CONFIDENTIAL", "CONFIDENTIEL UE", "EU CONFIDENTIAL", "CUE")
_names(S, "EU", "SECRET UE/EU SECRET", "SECRET UE", "EU SECRET", "SUE")
_names(TS, "EU", "TRES SECRET UE/EU TOP SECRET", "TRES SECRET UE", "EU TOP SECRET", "TSUE")
# United Kingdom (Government Security Classifications 2014)
_names(R, None, "OFFICIAL", "OFFICIAL SENSITIVE", "O", "OS")
# France (IGI 1300, 2021 and before)
_names(R, None, "DIFFUSION RESTREINTE", "DR")
_names(C, None, "CONFIDENTIEL DEFENSE", "CD")
_names(S, None, "SECRET DEFENSE", "SD")
_names(TS, None, "TRES SECRET", "TRES SECRET DEFENSE", "TSD")
_names(U, None, "NON PROTEGE")
# Germany (VSA)
_names(R, None, "VS NUR FUER DEN DIENSTGEBRAUCH", "VS NFD")
_names(C, None, "VS VERTRAULICH", "VS V")
_names(S, None, "GEHEIM")
_names(TS, None, "STRENG GEHEIM")
_names(U, None, "OFFEN")
# Italy
_names(U, None, "NON CLASSIFICATO")
_names(R, None, "RISERVATO", "RIS")
_names(C, None, "RISERVATISSIMO", "RR")
_names(S, None, "SEGRETO", "SEG")
_names(TS, None, "SEGRETISSIMO", "SS")
# Japan
_names(R, None, "取扱注意", "TORIATSUKAI CHUI")
_names(C, None, "秘", "HI")
_names(S, None, "極秘", "GOKUHI")
_names(TS, None, "特定秘密", "TOKUTEI HIMITSU")
# South Korea
_names(R, None, "대외비", "DAEOEBI")
_names(C, None, "III급비밀", "3급비밀", "III급 비밀", "3급 비밀", "3 GEUP BIMIL")
_names(S, None, "II급비밀", "2급비밀", "II급 비밀", "2급 비밀", "2 GEUP BIMIL")
_names(TS, None, "I급비밀", "1급비밀", "I급 비밀", "1급 비밀", "1 GEUP BIMIL")

_NOFORN = frozenset({"NOFORN", "NF"})


@cache
def _nations() -> frozenset[str]:
    import pycountry  # ISO 3166 data, shipped with the package

    return frozenset(c.alpha_3 for c in pycountry.countries)


def _hint(given: str) -> str:
    """' (did you mean FRA?)' for a two-letter code (UK is the usual name of GB); else ''."""
    import pycountry

    code = {"UK": "GB"}.get(given, given)
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 and code.isalpha() else None
    return f" (did you mean {country.alpha_3}?)" if country is not None else ""


def expand(tokens: list[str], where: str) -> frozenset[str]:
    """Nations and groups to the set of nations; unknown codes are an error."""
    out: set[str] = set()
    for raw in tokens:
        token = raw.strip().upper()
        if token in GROUPS:
            out |= GROUPS[token]
        elif token in _nations():
            out.add(token)
        else:
            raise MarkingError(
                f"{where}: {raw.strip()!r} is not an ISO 3166 alpha-3 nation code or a group "
                f"({', '.join(sorted(GROUPS))}){_hint(token)}"
            )
    return frozenset(out)


BODIES = frozenset({"NATO", "EU"})  # international bodies an organisation may belong to as such


def nation(code: str, what: str = "nationality", *, bodies: bool = False) -> str:
    """An ISO 3166 alpha-3 code (upper case), or with ``bodies`` also NATO or EU; else an error."""
    token = code.strip().upper()
    if token in _nations() or (bodies and token in BODIES):
        return token
    expected = "an ISO 3166 alpha-3 code such as FRA, ITA, USA" + (
        " or an international body (NATO, EU)" if bodies else ""
    )
    raise MarkingError(f"{what} {code.strip()!r} is not valid: expected {expected}{_hint(token)}")


def level(text: str, what: str = "clearance") -> Level:
    """A level by any of its names (``SECRET``, ``top_secret``, ``NATO SECRET``, ``GEHEIM``...)."""
    found = _NAMES.get(_norm(text.replace("_", " ")))
    if found is None:
        raise MarkingError(
            f"{what} {text.strip()!r} is not a classification level; expected one of "
            f"{', '.join(lv.label for lv in Level)} (or a national name such as GEHEIM, RISERVATO)"
        )
    return found[0]


def caveat(token: str) -> str:
    """A caveat (need-to-know compartment): letters, digits and '-', upper case."""
    text = token.strip().upper()
    if not _CAVEAT_RE.match(text):
        raise MarkingError(
            f"caveat {token.strip()!r} is not valid: expected letters, digits and '-', e.g. ATOMAL, SI-G"
        )
    return text


# -- parsing ------------------------------------------------------------------------------------
_PORTION_RE = re.compile(r"^\s*\(([^()]{1,200})\)\s*")
_CAVEAT_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")


def parse(text: str, *, originator: str | None = None) -> Marking:
    """Parse a banner line such as ``SECRET//REL TO USA, GBR, ITA`` or ``NATO SECRET``.

    ``originator`` (alpha-3) is the nation NOFORN restricts to; NOFORN without it is an error."""
    return _parse(text, originator=originator, portion=False)


def parse_portion(text: str, *, originator: str | None = None) -> Marking:
    """Parse a portion marking such as ``(S//REL TO USA, ITA)``, ``(U)``, ``(NS)``."""
    m = re.fullmatch(r"\s*\(([^()]{1,200})\)\s*", text)
    if not m:
        raise MarkingError(f"{text!r} is not a portion marking: expected '(LEVEL[//CONTROLS])', e.g. '(S//REL TO USA)'")
    return _parse(m.group(1), originator=originator, portion=True)


def split_portion(paragraph: str, *, originator: str | None = None) -> tuple[Marking | None, str]:
    """The portion marking at the start of a paragraph (or None) and the text after it.

    A parenthesis that does not open with a known level is ordinary text, e.g. "(see figure 3)"."""
    m = _PORTION_RE.match(paragraph)
    if not m:
        return None, paragraph
    head = m.group(1).split("//", 1)[0].strip()
    if head != head.upper() or _norm(head) not in _NAMES:  # "(c) check the valve" is a list item
        return None, paragraph
    return _parse(m.group(1), originator=originator, portion=True), paragraph[m.end() :]


def _parse(text: str, *, originator: str | None, portion: bool) -> Marking:
    kind = "portion marking" if portion else "banner"
    raw = text.strip()
    if not raw:
        raise MarkingError(f"empty {kind}: expected a level such as SECRET or (S)")
    segments = [s.strip() for s in raw.split("//")]
    head = segments[0]
    # EU names contain a single slash ("SECRET UE/EU SECRET"): try the whole head first
    found = _NAMES.get(_norm(head))
    if found is None:
        raise MarkingError(
            f"{kind} {raw!r}: unknown classification level {head!r}; expected a level such as "
            "UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET, TOP SECRET, NATO SECRET, COSMIC TOP SECRET, "
            "RESTREINT UE/EU RESTRICTED, DIFFUSION RESTREINTE, VS-NfD, RISERVATO ... (portions: U, R, C, S, TS, NS)"
        )
    level, org = found
    releasable: frozenset[str] | None = GROUPS[org] if org else None
    caveats: set[str] = set()
    seen_rel = False
    for segment in segments[1:]:
        if not segment:
            raise MarkingError(f"{kind} {raw!r}: empty control between '//' separators")
        upper = segment.upper()
        if upper.startswith("REL TO") or upper.startswith("REL "):
            if seen_rel:
                raise MarkingError(f"{kind} {raw!r}: more than one releasability (REL TO / NOFORN)")
            seen_rel = True
            body = segment[6:] if upper.startswith("REL TO") else segment[4:]
            nations = [t for t in re.split(r"[,\s]+", body) if t]
            if not nations:
                raise MarkingError(f"{kind} {raw!r}: 'REL TO' needs nations, e.g. 'REL TO USA, GBR'")
            rel = expand(nations, f"{kind} {raw!r}")
            releasable = rel if releasable is None else releasable & rel
        elif upper in _NOFORN:
            if seen_rel:
                raise MarkingError(f"{kind} {raw!r}: more than one releasability (REL TO / NOFORN)")
            seen_rel = True
            if originator is None:
                raise MarkingError(
                    f"{kind} {raw!r}: NOFORN restricts to the originator's nation, and no originator is "
                    "known; give the document's originating nation (e.g. --originator USA)"
                )
            own = expand([originator], "originator")
            releasable = own if releasable is None else releasable & own
        elif upper in GROUPS:  # "CONFIDENTIAL//FVEY" as shorthand for REL TO FVEY
            if seen_rel:
                raise MarkingError(f"{kind} {raw!r}: more than one releasability (REL TO / NOFORN)")
            seen_rel = True
            releasable = GROUPS[upper] if releasable is None else releasable & GROUPS[upper]
        else:
            for token in segment.split("/"):
                token = token.strip().upper()
                if not _CAVEAT_RE.match(token):
                    raise MarkingError(
                        f"{kind} {raw!r}: {token!r} is not a valid caveat; expected compartments of "
                        "letters, digits and '-' separated by '/', then 'REL TO ...' or 'NOFORN'"
                    )
                caveats.add(token)
    if level == Level.UNCLASSIFIED and caveats:
        raise MarkingError(f"{kind} {raw!r}: caveats need a classified level")
    return Marking(level, releasable, frozenset(caveats))
