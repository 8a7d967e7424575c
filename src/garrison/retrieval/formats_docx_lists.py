"""Word list numbering: which numbered paragraphs are steps and which are bullets, and the label
Word would draw ("3.", "b)", "2.1.") from ``word/numbering.xml`` and the counters so far."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

_VAL = qn("w:val")
_NO_NUMBER = {"none", ""}
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"))
_ROMAN_SMALL = ((9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


@dataclass(frozen=True, slots=True)
class Level:
    fmt: str  # w:numFmt: decimal, lowerLetter, upperRoman, bullet, none ...
    text: str  # w:lvlText: "%1." "%1.%2" ...
    start: int

    @property
    def bullet(self) -> bool:
        return self.fmt == "bullet"

    @property
    def numbered(self) -> bool:
        return self.fmt not in _NO_NUMBER and not self.bullet


def _val(element: Any, tag: str, default: str = "") -> str:
    child = element.find(qn(tag)) if element is not None else None
    return str(child.get(_VAL, default)) if child is not None else default


def _int(value: str, default: int) -> int:
    return int(value) if value.lstrip("-").isdigit() else default


def _roman(n: int) -> str:
    out = []
    for value, digits in (*_ROMAN, *_ROMAN_SMALL):
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # Word's a..z, aa..zz


def render(fmt: str, n: int) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        text = _letters(max(n, 1))
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(max(n, 1))
        return text.upper() if fmt == "upperRoman" else text
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Numbering:
    """The list definitions of one document, and the running counters of its lists."""

    def __init__(self, numbering: Any) -> None:
        abstract: dict[str, dict[int, Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        if numbering is not None:
            for node in numbering.iterchildren(qn("w:abstractNum")):
                levels = abstract.setdefault(str(node.get(qn("w:abstractNumId"))), {})
                for lvl in node.iterchildren(qn("w:lvl")):
                    ilvl = _int(str(lvl.get(qn("w:ilvl"), "0")), 0)
                    start = _int(_val(lvl, "w:start", "1"), 1)
                    levels[ilvl] = Level(_val(lvl, "w:numFmt", "decimal"), _val(lvl, "w:lvlText"), start)
            for node in numbering.iterchildren(qn("w:num")):
                overrides = {
                    _int(str(o.get(qn("w:ilvl"), "0")), 0): _int(_val(o, "w:startOverride", "1"), 1)
                    for o in node.iterchildren(qn("w:lvlOverride"))
                    if o.find(qn("w:startOverride")) is not None
                }
                self._nums[str(node.get(qn("w:numId")))] = (_val(node, "w:abstractNumId"), overrides)
        self._abstract = abstract
        self._counters: dict[str, list[int]] = {}

    def level(self, num_id: str, ilvl: int) -> Level | None:
        num = self._nums.get(num_id)
        if num is None:
            return None
        level = self._abstract.get(num[0], {}).get(ilvl)
        if level is not None and ilvl in num[1]:
            level = Level(level.fmt, level.text, num[1][ilvl])
        return level

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the list's counter at ``ilvl`` (deeper levels restart) and draw its label."""
        counters = self._counters.setdefault(num_id, [])
        while len(counters) <= ilvl:
            below = self.level(num_id, len(counters))
            counters.append((below.start if below else 1) - 1)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, len(counters)):
            below = self.level(num_id, deeper)
            counters[deeper] = (below.start if below else 1) - 1
        level = self.level(num_id, ilvl)
        pattern = level.text if level and level.text else f"%{ilvl + 1}."
        for depth in range(ilvl, -1, -1):
            at = self.level(num_id, depth)
            pattern = pattern.replace(f"%{depth + 1}", render(at.fmt if at else "decimal", max(counters[depth], 1)))
        return pattern.strip()
