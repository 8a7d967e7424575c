"""Model eligibility written as text: ``NATO``, ``USA``, ``org:mod-it``, ``everyone``.

Pure. The same words on the command line and in the admin API, each validated: a nation must be
an ISO 3166 alpha-3 code and a group one of FVEY, NATO, EU; anything else is an error that says
what was expected, never a silent default. The inverse is ``Eligibility.tokens()``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from garrison.core.errors import InvalidRequest
from garrison.core.markings import GROUPS
from garrison.core.types import Eligibility
from garrison.security.markings import MarkingError, nation

ORG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
EVERYONE_WORDS = frozenset({"everyone", "*"})


def parse(tokens: Iterable[str]) -> Eligibility:
    """``["NATO", "USA", "org:mod-it"]`` -> Eligibility; ``["everyone"]`` releases to all."""
    nations: set[str] = set()
    groups: set[str] = set()
    orgs: set[str] = set()
    everyone = False
    for raw in tokens:
        for token in (t.strip() for t in raw.split(",")):
            if not token:
                continue
            if token.lower() in EVERYONE_WORDS:
                everyone = True
            elif token.lower().startswith("org:"):
                org = token[4:].strip().lower()
                if not ORG_RE.match(org):
                    raise InvalidRequest(
                        f"{token!r}: expected org:<organisation id>, e.g. org:mod-it", param="eligibility"
                    )
                orgs.add(org)
            elif token.upper() in GROUPS:
                groups.add(token.upper())
            else:
                try:
                    nations.add(nation(token, "eligibility"))
                except MarkingError as exc:
                    raise InvalidRequest(
                        f"{exc.message}, a group ({', '.join(sorted(GROUPS))}), org:<id> or 'everyone'",
                        param="eligibility",
                    ) from exc
    if everyone and (nations or groups or orgs):
        raise InvalidRequest("'everyone' cannot be combined with nations, groups or organisations", param="eligibility")
    return Eligibility(everyone, frozenset(nations), frozenset(orgs), frozenset(groups))
