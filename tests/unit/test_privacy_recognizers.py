"""The pattern recognisers: valid identifiers are found, a wrong checksum never matches."""

from __future__ import annotations

import pytest

from garrison.privacy.detector import PatternScanner


@pytest.fixture(scope="module")
def scanners() -> dict[str, PatternScanner]:
    return {lang: PatternScanner(lang) for lang in ("en", "fr", "it", "de")}


def found(scanner: PatternScanner, text: str) -> list[tuple[str, str]]:
    return [(s.entity, text[s.start : s.end]) for s in scanner.scan(text)]


VALID = [
    # (language, text, entity, value)
    (
        "it",
        "Bonifico su IT60 X054 2811 1010 0000 0123 456 entro venerdì.",
        "IBAN_CODE",
        "IT60 X054 2811 1010 0000 0123 456",
    ),
    ("de", "Bitte überweisen Sie auf DE89370400440532013000.", "IBAN_CODE", "DE89370400440532013000"),
    ("fr", "IBAN : FR14 2004 1010 0505 0001 3M02 606", "IBAN_CODE", "FR14 2004 1010 0505 0001 3M02 606"),
    ("en", "Pay GB29 NWBK 6016 1331 9268 19 today.", "IBAN_CODE", "GB29 NWBK 6016 1331 9268 19"),
    ("en", "Card 4111 1111 1111 1111 was declined.", "CREDIT_CARD", "4111 1111 1111 1111"),
    ("en", "Amex 3782-822463-10005 on file", "CREDIT_CARD", "3782-822463-10005"),
    ("en", "mastercard 5500005555555559", "CREDIT_CARD", "5500005555555559"),
    ("it", "Il codice fiscale è RSSMRA85T10A562S.", "IT_FISCAL_CODE", "RSSMRA85T10A562S"),
    ("it", "cf: rssmra85t10a562s", "IT_FISCAL_CODE", "rssmra85t10a562s"),
    ("fr", "N° de sécurité sociale : 1 84 12 76 451 089 46", "FR_NIR", "1 84 12 76 451 089 46"),
    ("fr", "NIR 184127645108946", "FR_NIR", "184127645108946"),
    ("de", "Steuer-ID: 36 574 261 809", "DE_TAX_ID", "36 574 261 809"),
    ("de", "Ihre Identifikationsnummer 36574261809 liegt vor.", "DE_TAX_ID", "36574261809"),
    ("en", "National insurance number JG 10 37 29 B.", "UK_NINO", "JG 10 37 29 B"),
    ("en", "NINO: AB123456C", "UK_NINO", "AB123456C"),
    ("en", "SSN 536-22-8726 on the form", "US_SSN", "536-22-8726"),
    ("en", "his social security number is 536228726", "US_SSN", "536228726"),
    ("en", "Write to mario.rossi@difesa.it please", "EMAIL_ADDRESS", "mario.rossi@difesa.it"),
    ("fr", "courriel : j-p.dupont+ops@interieur.gouv.fr", "EMAIL_ADDRESS", "j-p.dupont+ops@interieur.gouv.fr"),
    ("en", "Login from 192.168.10.24 at 09:14", "IP_ADDRESS", "192.168.10.24"),
    ("en", "host 2001:db8:85a3::8a2e:370:7334 responded", "IP_ADDRESS", "2001:db8:85a3::8a2e:370:7334"),
    ("it", "Chiamare il +39 06 6982 1234 dopo le 15.", "PHONE_NUMBER", "+39 06 6982 1234"),
    ("it", "tel. 06 6982 1234", "PHONE_NUMBER", "06 6982 1234"),
    ("de", "Telefon: +49 30 12345678", "PHONE_NUMBER", "+49 30 12345678"),
    ("fr", "Tél. 01 42 92 81 00", "PHONE_NUMBER", "01 42 92 81 00"),
    ("en", "Call (202) 555-0143 or 020 7946 0018", "PHONE_NUMBER", "020 7946 0018"),
    ("en", "Passport no. 533380006, issued 2019", "PASSPORT", "533380006"),
    ("it", "numero di passaporto YA1234567", "PASSPORT", "YA1234567"),
    ("de", "Reisepass C01X00T47 gültig", "PASSPORT", "C01X00T47"),
    ("en", "born on 14/03/1985 in Leeds", "DATE_OF_BIRTH", "14/03/1985"),
    ("fr", "née le 3 février 1979 à Lyon", "DATE_OF_BIRTH", "3 février 1979"),
    ("it", "nato il 12 marzo 1984 a Bari", "DATE_OF_BIRTH", "12 marzo 1984"),
    ("de", "Geburtsdatum: 07.11.1990", "DATE_OF_BIRTH", "07.11.1990"),
    ("en", "DOB: March 2, 1971", "DATE_OF_BIRTH", "March 2, 1971"),
]


@pytest.mark.parametrize(("lang", "text", "entity", "value"), VALID)
def test_valid_identifiers_are_found(
    scanners: dict[str, PatternScanner], lang: str, text: str, entity: str, value: str
) -> None:
    assert (entity, value) in found(scanners[lang], text)


INVALID = [
    # a wrong checksum, a refused prefix, or no context: none of these is personal data
    ("it", "Bonifico su IT61 X054 2811 1010 0000 0123 456 entro venerdì.", "IBAN_CODE"),
    ("de", "Bitte überweisen Sie auf DE88370400440532013000.", "IBAN_CODE"),
    ("en", "Card 4111 1111 1111 1112 was declined.", "CREDIT_CARD"),
    ("en", "Order 1234 5678 9012 3456 shipped", "CREDIT_CARD"),
    ("it", "Il codice fiscale è RSSMRA85T10A562T.", "IT_FISCAL_CODE"),
    ("fr", "N° de sécurité sociale : 1 84 12 76 451 089 47", "FR_NIR"),
    ("de", "Steuer-ID: 36 574 261 808", "DE_TAX_ID"),
    ("de", "Steuer-ID: 11 111 111 111", "DE_TAX_ID"),
    ("en", "National insurance number GB 12 34 56 C.", "UK_NINO"),
    ("en", "National insurance number QQ 12 34 56 E.", "UK_NINO"),
    ("en", "SSN 666-22-8726 on the form", "US_SSN"),
    ("en", "SSN 000-12-3456", "US_SSN"),
    ("en", "ticket 536228726 closed", "US_SSN"),
    ("en", "firmware v2.14.3.1 installed", "IP_ADDRESS"),
    ("en", "NSN 5330-01-234-5678 in stock", "PHONE_NUMBER"),
    ("en", "part number YA1234567 was replaced", "PASSPORT"),
    ("en", "the meeting is on 14/03/2025 in Leeds", "DATE_OF_BIRTH"),
    ("en", "send it to mario.rossi@ or to @team", "EMAIL_ADDRESS"),
]


@pytest.mark.parametrize(("lang", "text", "entity"), INVALID)
def test_invalid_identifiers_never_match(
    scanners: dict[str, PatternScanner], lang: str, text: str, entity: str
) -> None:
    assert entity not in {e for e, _ in found(scanners[lang], text)}


def test_a_grouped_iban_stops_before_the_next_word(scanners: dict[str, PatternScanner]) -> None:
    text = "IBAN DE89 3704 0044 0532 0130 00 AB sofort"
    assert ("IBAN_CODE", "DE89 3704 0044 0532 0130 00") in found(scanners["de"], text)


def test_context_raises_the_score(scanners: dict[str, PatternScanner]) -> None:
    plain = scanners["en"].scan("ref JG 10 37 29 B")
    told = scanners["en"].scan("national insurance JG 10 37 29 B")
    assert plain and told and told[0].score > plain[0].score
