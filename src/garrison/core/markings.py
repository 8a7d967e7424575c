"""Classification markings as values: the common ladder, releasability, caveats, and the rules
that compare and combine them (design.md, "Markings"). Pure, and in core so that every capability
(retrieval, audit, guards) can carry and check a marking; parsing lives in security/markings.py."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    UNCLASSIFIED = 0
    RESTRICTED = 1
    CONFIDENTIAL = 2
    SECRET = 3
    TOP_SECRET = 4

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


GROUPS: dict[str, frozenset[str]] = {
    "FVEY": _codes("AUS CAN GBR NZL USA"),
    "NATO": _codes(
        "ALB BEL BGR CAN CZE DEU DNK ESP EST FIN FRA GBR GRC HRV HUN ISL ITA LTU LUX LVA MKD MNE "
        "NLD NOR POL PRT ROU SVK SVN SWE TUR USA"
    ),
    "EU": _codes(
        "AUT BEL BGR CYP CZE DEU DNK ESP EST FIN FRA GRC HRV HUN IRL ITA LTU LUX LVA MLT NLD POL PRT ROU SVK SVN SWE"
    ),
}

_PORTION_ABBREV = {
    Level.UNCLASSIFIED: "U",
    Level.RESTRICTED: "R",
    Level.CONFIDENTIAL: "C",
    Level.SECRET: "S",
    Level.TOP_SECRET: "TS",
}


@dataclass(frozen=True, slots=True)
class Marking:
    level: Level
    releasable_to: frozenset[str] | None = None  # None: the marking restricts no nationality
    caveats: frozenset[str] = frozenset()

    # -- access and combination ---------------------------------------------------------------
    def dominates(self, other: Marking) -> bool:
        """True when whoever may read ``self`` may also read ``other``."""
        if self.level < other.level or not other.caveats <= self.caveats:
            return False
        if other.releasable_to is None:
            return True
        return self.releasable_to is not None and self.releasable_to <= other.releasable_to

    def combine(self, other: Marking) -> Marking:
        """Derivative marking: highest level, union of caveats, intersection of releasability."""
        if self.releasable_to is None:
            rel = other.releasable_to
        elif other.releasable_to is None:
            rel = self.releasable_to
        else:
            rel = self.releasable_to & other.releasable_to
        return Marking(max(self.level, other.level), rel, self.caveats | other.caveats)

    def readable_by(self, clearance: Level, nationality: str, caveats: frozenset[str]) -> bool:
        if clearance < self.level:
            return False
        if self.releasable_to is not None and nationality.upper() not in self.releasable_to:
            return False
        return self.caveats <= caveats

    # -- formatting ---------------------------------------------------------------------------
    def _segments(self, level: str) -> str:
        parts = [level]
        if self.caveats:
            parts.append("/".join(sorted(self.caveats)))
        if self.releasable_to is not None:
            parts.append("REL TO " + ", ".join(_rel_order(self.releasable_to)) if self.releasable_to else "NOFORN")
        return "//".join(parts)

    def banner(self) -> str:
        return self._segments(self.level.label)

    def portion(self) -> str:
        return f"({self._segments(_PORTION_ABBREV[self.level])})"

    def __str__(self) -> str:
        return self.banner()


UNCLASSIFIED = Marking(Level.UNCLASSIFIED)


def _rel_order(nations: frozenset[str]) -> list[str]:
    """A whole group by its name; otherwise USA first (US convention), then alphabetical."""
    for name, members in GROUPS.items():
        if nations == members:
            return [name]
    return sorted(nations, key=lambda n: (n != "USA", n))


def combine_all(markings: list[Marking]) -> Marking:
    out = UNCLASSIFIED
    for m in markings:
        out = out.combine(m)
    return out
