"""Markings: table-driven parsing of every scheme, and the algebra as properties (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from garrison.security.markings import (
    GROUPS,
    Level,
    Marking,
    MarkingError,
    combine_all,
    parse,
    parse_portion,
    split_portion,
)

NATO = GROUPS["NATO"]
EU = GROUPS["EU"]
FVEY = GROUPS["FVEY"]


@pytest.mark.parametrize(
    ("text", "level", "rel", "caveats"),
    [
        ("SECRET//REL TO USA, GBR, ITA", Level.SECRET, {"USA", "GBR", "ITA"}, set()),
        ("TOP SECRET//NOFORN", Level.TOP_SECRET, {"USA"}, set()),
        ("NATO SECRET", Level.SECRET, NATO, set()),
        ("COSMIC TOP SECRET", Level.TOP_SECRET, NATO, set()),
        ("RESTREINT UE/EU RESTRICTED", Level.RESTRICTED, EU, set()),
        ("SECRET UE/EU SECRET", Level.SECRET, EU, set()),
        ("CONFIDENTIAL//REL TO FVEY", Level.CONFIDENTIAL, FVEY, set()),
        ("CONFIDENTIAL//FVEY", Level.CONFIDENTIAL, FVEY, set()),
        ("TOP SECRET//SI/TK//REL TO USA, GBR", Level.TOP_SECRET, {"USA", "GBR"}, {"SI", "TK"}),
        ("NATO SECRET//REL TO FRA, DEU, JPN", Level.SECRET, {"FRA", "DEU"}, set()),  # within NATO only
        ("UNCLASSIFIED", Level.UNCLASSIFIED, None, set()),
        ("unclassified", Level.UNCLASSIFIED, None, set()),
        # United Kingdom
        ("OFFICIAL-SENSITIVE", Level.RESTRICTED, None, set()),
        # France
        ("DIFFUSION RESTREINTE", Level.RESTRICTED, None, set()),
        ("Diffusion Restreinte", Level.RESTRICTED, None, set()),
        ("CONFIDENTIEL DÉFENSE", Level.CONFIDENTIAL, None, set()),
        ("SECRET DÉFENSE", Level.SECRET, None, set()),
        ("TRÈS SECRET", Level.TOP_SECRET, None, set()),
        # Germany
        ("VS-NUR FÜR DEN DIENSTGEBRAUCH", Level.RESTRICTED, None, set()),
        ("VS-NfD", Level.RESTRICTED, None, set()),
        ("VS-VERTRAULICH", Level.CONFIDENTIAL, None, set()),
        ("GEHEIM", Level.SECRET, None, set()),
        ("STRENG GEHEIM", Level.TOP_SECRET, None, set()),
        # Italy
        ("RISERVATO", Level.RESTRICTED, None, set()),
        ("RISERVATISSIMO", Level.CONFIDENTIAL, None, set()),
        ("SEGRETO//REL TO ITA, FRA", Level.SECRET, {"ITA", "FRA"}, set()),
        ("SEGRETISSIMO", Level.TOP_SECRET, None, set()),
        # Japan
        ("取扱注意", Level.RESTRICTED, None, set()),
        ("秘", Level.CONFIDENTIAL, None, set()),
        ("極秘", Level.SECRET, None, set()),
        ("特定秘密", Level.TOP_SECRET, None, set()),
        # South Korea
        ("대외비", Level.RESTRICTED, None, set()),
        ("III급비밀", Level.CONFIDENTIAL, None, set()),
        ("II급 비밀", Level.SECRET, None, set()),
        ("I급비밀", Level.TOP_SECRET, None, set()),
    ],
)
def test_banners_of_every_scheme(text: str, level: Level, rel: set[str] | None, caveats: set[str]) -> None:
    m = parse(text, originator="USA")
    assert m.level == level
    assert m.releasable_to == (frozenset(rel) if rel is not None else None)
    assert m.caveats == frozenset(caveats)
    assert parse(m.banner(), originator="USA") == m  # what we print, we read back
    assert parse_portion(m.portion(), originator="USA") == m


@pytest.mark.parametrize(
    ("text", "level", "rel"),
    [
        ("(U)", Level.UNCLASSIFIED, None),
        ("(C)", Level.CONFIDENTIAL, None),
        ("(S//REL TO USA, ITA)", Level.SECRET, {"USA", "ITA"}),
        ("(NS)", Level.SECRET, NATO),
        ("(CTS)", Level.TOP_SECRET, NATO),
        ("(TS//NF)", Level.TOP_SECRET, {"USA"}),
    ],
)
def test_portion_markings(text: str, level: Level, rel: set[str] | None) -> None:
    m = parse_portion(text, originator="USA")
    assert (m.level, m.releasable_to) == (level, frozenset(rel) if rel is not None else None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SECRETT", "unknown classification level 'SECRETT'"),
        ("", "empty banner"),
        ("SECRET//REL TO XYZ", "'XYZ' is not an ISO 3166 alpha-3 nation code"),
        ("SECRET//REL TO", "'REL TO' needs nations"),
        ("TOP SECRET//NOFORN", "no originator is known"),
        ("SECRET//REL TO USA//NOFORN", "more than one releasability"),
        ("SECRET////SI", "empty control"),
        ("SECRET//S I!", "is not a valid caveat"),
        ("UNCLASSIFIED//SI", "caveats need a classified level"),
    ],
)
def test_what_does_not_parse_says_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(MarkingError) as exc:
        parse(text)
    assert message in exc.value.message
    assert exc.value.status == 400 and exc.value.code == "invalid_marking"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # NATO
        ("NATO SECRETT", "unknown classification level 'NATO SECRETT'; expected a level such as"),
        ("COSMIC SECRET", "unknown classification level 'COSMIC SECRET'"),
        ("NATO SECRET//REL TO ATLANTIS", "'ATLANTIS' is not an ISO 3166 alpha-3 nation code or a group"),
        # EU
        ("RESTREINT UE/EU RESTRICTED//REL TO EUROPE", "'EUROPE' is not an ISO 3166 alpha-3 nation code"),
        ("SECRET UE//REL TO EU//NOFORN", "more than one releasability"),
        # United States
        ("TOP SECRET//SI TK//NOFORN", "'SI TK' is not a valid caveat; expected compartments"),
        ("CONFIDENTIAL//REL TO FVEY, ANZAC", "'ANZAC' is not an ISO 3166 alpha-3 nation code"),
        # United Kingdom
        ("OFFICIAL-SENSITIVE//REL TO UK", "'UK' is not an ISO 3166 alpha-3 nation code or a group (EU, FVEY, NATO) "
         "(did you mean GBR?)"),
        # France
        ("SECRET DEFENSE//REL TO FR", "(did you mean FRA?)"),
        ("TRES SECRET DEFENCE", "unknown classification level 'TRES SECRET DEFENCE'"),
        # Germany
        ("VS-GEHEIM", "unknown classification level 'VS-GEHEIM'"),
        ("GEHEIM//REL TO DE", "(did you mean DEU?)"),
        # Italy
        ("RISERVATO//NOFORN", "no originator is known; give the document's originating nation"),
        ("SEGRETISSIMO//", "empty control between '//' separators"),
        # Japan
        ("極秘//REL TO JP", "(did you mean JPN?)"),
        # South Korea
        ("2급비밀//REL TO KR", "(did you mean KOR?)"),
        ("4급비밀", "unknown classification level '4급비밀'"),
    ],
)  # fmt: skip
def test_invalid_markings_of_each_scheme(text: str, message: str) -> None:
    with pytest.raises(MarkingError) as exc:
        parse(text)
    assert message in exc.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(X)", "unknown classification level 'X'"),
        ("(S//REL TO)", "'REL TO' needs nations"),
        ("(NS//REL TO NATO//NOFORN)", "more than one releasability"),
        ("S//REL TO USA", "is not a portion marking: expected '(LEVEL[//CONTROLS])'"),
        ("(TS//SI TK)", "'SI TK' is not a valid caveat"),
    ],
)
def test_invalid_portion_markings(text: str, message: str) -> None:
    with pytest.raises(MarkingError) as exc:
        parse_portion(text)
    assert message in exc.value.message


def test_portions_at_the_start_of_paragraphs() -> None:
    m, rest = split_portion("(S//REL TO USA, GBR) Replace the pump seal.")
    assert m is not None and m.level == Level.SECRET and rest == "Replace the pump seal."
    assert split_portion("(see figure 3) The valve") == (None, "(see figure 3) The valve")
    assert split_portion("(c) Check the valve") == (None, "(c) Check the valve")  # a list item
    assert split_portion("No marking here") == (None, "No marking here")
    with pytest.raises(MarkingError, match="XYZ"):
        split_portion("(S//REL TO XYZ) text")
    with pytest.raises(MarkingError, match="portion marking"):
        parse_portion("S//REL TO USA")


def test_access_rules() -> None:
    m = parse("SECRET//SI//REL TO USA, ITA")
    assert m.readable_by(Level.SECRET, "ITA", frozenset({"SI"}))
    assert m.readable_by(Level.TOP_SECRET, "usa", frozenset({"SI", "TK"}))
    assert not m.readable_by(Level.CONFIDENTIAL, "ITA", frozenset({"SI"}))  # clearance
    assert not m.readable_by(Level.SECRET, "FRA", frozenset({"SI"}))  # nationality
    assert not m.readable_by(Level.SECRET, "ITA", frozenset())  # caveat
    assert parse("NATO SECRET").readable_by(Level.SECRET, "FRA", frozenset())
    assert not parse("NATO SECRET").readable_by(Level.SECRET, "JPN", frozenset())


def test_derivative_marking() -> None:
    a = parse("SECRET//REL TO USA, GBR, ITA")
    b = parse("CONFIDENTIAL//SI//REL TO USA, ITA, FRA")
    c = parse("UNCLASSIFIED")
    d = combine_all([a, b, c])
    assert d == Marking(Level.SECRET, frozenset({"USA", "ITA"}), frozenset({"SI"}))
    assert d.banner() == "SECRET//SI//REL TO USA, ITA"


# -- properties ----------------------------------------------------------------------------
NATIONS = ["USA", "GBR", "FRA", "DEU", "ITA", "JPN", "KOR", "CAN"]
CAVEATS = ["SI", "TK", "HCS", "ATOMAL"]

markings = st.builds(
    Marking,
    st.sampled_from(list(Level)),
    st.one_of(st.none(), st.frozensets(st.sampled_from(NATIONS))),
    st.frozensets(st.sampled_from(CAVEATS)),
)
readers = st.tuples(st.sampled_from(list(Level)), st.sampled_from(NATIONS), st.frozensets(st.sampled_from(CAVEATS)))


@given(markings, markings, markings)
def test_combination_is_associative_commutative_idempotent(a: Marking, b: Marking, c: Marking) -> None:
    assert a.combine(b) == b.combine(a)
    assert a.combine(b).combine(c) == a.combine(b.combine(c))
    assert a.combine(a) == a


@given(markings, markings, readers)
def test_a_derived_marking_is_never_readable_by_someone_who_could_not_read_a_source(
    a: Marking, b: Marking, reader: tuple[Level, str, frozenset[str]]
) -> None:
    if a.combine(b).readable_by(*reader):
        assert a.readable_by(*reader) and b.readable_by(*reader)
    assert a.combine(b).dominates(a) and a.combine(b).dominates(b)


@given(markings, readers, st.sampled_from(CAVEATS))
def test_access_is_monotonic(m: Marking, reader: tuple[Level, str, frozenset[str]], caveat: str) -> None:
    level, nation, held = reader
    if m.readable_by(level, nation, held) and level < Level.TOP_SECRET:
        assert m.readable_by(Level(level + 1), nation, held)  # a higher clearance never sees less
        assert m.readable_by(level, nation, held | {caveat})  # nor does holding more caveats
    stricter = Marking(m.level, m.releasable_to, m.caveats | {caveat})
    if stricter.readable_by(level, nation, held):  # adding a caveat never lets more readers in
        assert m.readable_by(level, nation, held)


@given(markings)
def test_banner_and_portion_round_trip(m: Marking) -> None:
    if m.level == Level.UNCLASSIFIED and m.caveats:
        return  # not a valid marking: the parser refuses it (tested above)
    if m.releasable_to == frozenset():
        return  # releasable to nobody: printed as NOFORN, which needs an originator
    assert parse(m.banner()) == m
    assert parse_portion(m.portion()) == m


@given(markings, readers)
def test_dominance_agrees_with_access(m: Marking, reader: tuple[Level, str, frozenset[str]]) -> None:
    top = Marking(Level.TOP_SECRET, frozenset(), frozenset(CAVEATS))
    assert top.dominates(m)
    if m.dominates(top):
        assert m.readable_by(*reader) == top.readable_by(*reader)
