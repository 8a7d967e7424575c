"""The demo a newcomer sees on `make run`: a multinational maintenance depot, people of different
nations and clearances, and a small marked corpus (``garrison/demo_corpus``) ingested for them.

Idempotent: what exists is left as it is, identical documents are not ingested twice, and keys are
created only for people created by this run (written to ``demo-keys.txt``, owner-only)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from garrison.core.errors import GarrisonError, NotFound
from garrison.core.types import Principal
from garrison.service.documents import DocumentService, Ingested
from garrison.service.identity import IdentityService
from garrison.service.keys import KeyService

DOCUMENT_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".md", ".txt"}
KEYS_FILE = "demo-keys.txt"


@dataclass(frozen=True, slots=True)
class DemoPerson:
    id: str
    name: str
    nationality: str
    clearance: str
    key: str | None  # only when created by this run


@dataclass
class DemoResult:
    organisation: str
    collection: str
    people: list[DemoPerson] = field(default_factory=list)
    ingested: list[tuple[str, Ingested]] = field(default_factory=list)
    keys_file: Path | None = None


def corpus_files(corpus: Path) -> list[Path]:
    """The documents of the corpus (not its README or the source the PDF is built from)."""
    return sorted(
        p
        for p in corpus.iterdir()
        if p.suffix.lower() in DOCUMENT_SUFFIXES and p.name != "README.md" and "-source" not in p.stem
    )


class DemoService:
    def __init__(
        self,
        identity: IdentityService,
        keys: KeyService,
        documents: DocumentService,
        data_dir: Path,
        console: Principal,
        corpus: Path,
    ) -> None:
        self.corpus = corpus
        self._identity = identity
        self._keys = keys
        self._documents = documents
        self._data_dir = data_dir
        self._console = console

    def install(self, progress: Callable[[str, int, int], None] | None = None) -> DemoResult:
        corpus = self.corpus
        spec = json.loads((corpus / "people.json").read_text(encoding="utf-8"))
        c = self._console
        org = spec["organisation"]
        try:
            self._identity.organisation(c, org["id"])
        except NotFound:
            self._identity.create_organisation(c, org["id"], name=org["name"], nation=org.get("nation"))
        result = DemoResult(org["id"], spec["collection"]["name"])
        existing = {u.id for u in self._identity.users(c, org["id"])}
        for person in spec["people"]:
            key = None
            if person["id"] not in existing:
                self._identity.create_user(
                    c, person["id"], organisation=org["id"], role=person["role"], name=person["name"]
                )
                self._identity.update_user(
                    c,
                    person["id"],
                    {
                        "clearance": person["clearance"],
                        "nationality": person["nationality"],
                        "caveats": person.get("caveats", []),
                    },
                )
                key = self._keys.create(c, person["id"], "demo").key
            result.people.append(
                DemoPerson(person["id"], person["name"], person["nationality"], person["clearance"], key)
            )
        try:
            self._documents.collection(c, result.collection, organisation=org["id"])
        except GarrisonError:
            self._documents.create_collection(
                c, result.collection, spec["collection"].get("description", ""), organisation=org["id"]
            )
        for path in corpus_files(corpus):
            step = None
            if progress is not None:
                step = (lambda name: lambda done, total: progress(name, done, total))(path.name)
            ingested = self._documents.ingest(
                c, result.collection, path.name, path.read_bytes(), organisation=org["id"], progress=step
            )
            result.ingested.append((path.name, ingested))
        new_keys = [p for p in result.people if p.key]
        if new_keys:
            result.keys_file = self._write_keys(new_keys)
        return result

    def _write_keys(self, people: list[DemoPerson]) -> Path:
        path = self._data_dir / KEYS_FILE
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            for p in people:
                fh.write(f"{p.id}\t{p.nationality}\t{p.clearance}\t{p.key}\n")
        return path
