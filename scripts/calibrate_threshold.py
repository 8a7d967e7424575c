"""Calibrate GARRISON_RETRIEVAL_MIN_SIMILARITY: the cosine a passage needs to be given to the model.

For each labelled query of a BEIR-format set, the best cosine of a fully relevant passage; for
off-topic questions (nothing in a maintenance corpus answers them), the best cosine of any passage.
A good threshold keeps the first and refuses the second. Usage:

    python scripts/calibrate_threshold.py [tests/data/retrieval/maintenance]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from garrison.catalog.embedded import EMBEDDER
from garrison.catalog.hashing import verify_file
from garrison.engines.e5 import E5Engine

OFF_TOPIC = [
    "What is the capital of Australia?",
    "Give me a recipe for lasagna.",
    "Who won the football match yesterday?",
    "How do I renew my passport?",
    "Write a poem about the sea.",
    "What is the exchange rate of the euro?",
    "Quelle est la meilleure recette de crêpes ?",
    "Chi ha vinto il campionato di calcio?",
    "Wie wird das Wetter morgen in Berlin?",
    "How many vacation days do I have left?",
    "Explain quantum entanglement simply.",
    "What time does the canteen open?",
    "Summarise the plot of Hamlet.",
    "Combien coûte un billet de train pour Lyon ?",
    "Qual è la capitale della Norvegia?",
    "Wer ist der Bundeskanzler?",
    "Translate 'good morning' into Spanish.",
    "What is the population of Canada?",
    "How do I reset my email password?",
    "Which vaccines do I need for Kenya?",
]


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/data/retrieval/maintenance")
    corpus = [json.loads(x) for x in lines(root / "corpus.jsonl")]
    queries = [json.loads(x) for x in lines(root / "queries.jsonl")]
    qrels: dict[str, dict[str, int]] = {}
    for row in lines(root / "qrels" / "test.tsv")[1:]:
        q, c, s = row.split("\t")
        qrels.setdefault(q, {})[c] = int(s)
    path = EMBEDDER.locate()
    verify_file(EMBEDDER.name, path, EMBEDDER.sha256)
    engine = E5Engine(EMBEDDER.name, path)
    passages = engine.embed_passages([c["title"] + "\n" + c["text"] for c in corpus])
    position = {c["_id"]: i for i, c in enumerate(corpus)}
    asked = engine.embed_queries([q["text"] for q in queries])
    best_relevant = np.array(
        [
            max(float(passages[position[c]] @ asked[i]) for c, g in qrels[q["_id"]].items() if g == 2)
            for i, q in enumerate(queries)
        ]
    )
    off = engine.embed_queries(OFF_TOPIC)
    best_off = np.array([float((passages @ v).max()) for v in off])
    print(f"{len(queries)} labelled queries: best relevant cosine min {best_relevant.min():.3f}, "
          f"p5 {np.percentile(best_relevant, 5):.3f}, median {np.median(best_relevant):.3f}")  # fmt: skip
    print(f"{len(OFF_TOPIC)} off-topic questions: best cosine median {np.median(best_off):.3f}, "
          f"max {best_off.max():.3f}")  # fmt: skip
    print("threshold | labelled queries keeping a relevant passage | off-topic questions refused")
    for t in (0.78, 0.79, 0.80, 0.81, 0.82, 0.83):
        print(f"{t:.2f}      | {(best_relevant >= t).mean():.3f}" + " " * 37 + f"| {(best_off < t).mean():.3f}")


if __name__ == "__main__":
    main()
