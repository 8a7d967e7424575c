"""``garrison ingest | collections | documents``: documents from the local command line.

The command line acts as the console: it stores and removes documents of any marking but never
reads them back (search and answers need a person's key, through the API)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from garrison.cli.common import Backend, DataDir, console, err_console, fail, friendly_errors, table, when
from garrison.core.errors import GarrisonError
from garrison.service.container import Services

FORMATS = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".text"}

Organisation = Annotated[
    str | None,
    typer.Option("--organisation", "-o", help="Organisation that owns the collection (default: the operator)."),
]


def files_under(paths: list[Path]) -> Iterator[Path]:
    """Files given, and the documents of folders given (recursively, in name order)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)
        elif path.exists():
            yield path
        else:
            fail(f"{path}: no such file or folder")


def register(app: typer.Typer, backend: Backend) -> None:
    collections_app = typer.Typer(help="Collections of documents, per organisation.", no_args_is_help=True)
    documents_app = typer.Typer(help="The documents of a collection.", no_args_is_help=True)
    app.add_typer(collections_app, name="collections")
    app.add_typer(documents_app, name="documents")

    def open_for(data_dir: Path | None, organisation: str | None) -> tuple[Services, str | None]:
        """The services and the organisation meant: the one given, else the operator."""
        services = backend.open(data_dir)
        return services, organisation or services.identity.operator_id()

    @app.command()
    def ingest(
        paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
        collection: Annotated[str, typer.Option("--collection", "-c", help="Collection name (created if new).")],
        marking: Annotated[
            str | None,
            typer.Option(help="Marking of documents that carry no banner, e.g. 'SECRET//REL TO USA, ITA'."),
        ] = None,
        originator: Annotated[
            str | None, typer.Option(help="Originating nation (alpha-3), for NOFORN markings.")
        ] = None,
        organisation: Organisation = None,
        data_dir: DataDir = None,
    ) -> None:
        """Ingest documents (PDF, DOCX, HTML, Markdown, text) with their classification markings.

        Identical content already in the collection is skipped. A file that cannot be ingested (no
        marking, marking that does not parse, broken or encrypted PDF, wrong extension) is reported
        and nothing of it is stored; the others go on."""
        files = list(files_under(paths))
        if not files:
            fail("no documents found (formats: PDF, DOCX, HTML, Markdown, text)")
        with friendly_errors():
            services, org = open_for(data_dir, organisation)
            p = services.console
            services.documents.ensure_collection(p, collection, organisation=org)
        added = skipped = failed = chunks = 0
        problems: list[tuple[str, str]] = []
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as progress:
            overall = progress.add_task("documents", total=len(files))
            for path in files:
                step = progress.add_task(f"  {path.name}", total=None)

                def advance(done: int, total: int, step: TaskID = step) -> None:
                    progress.update(step, completed=done, total=total)

                try:
                    result = services.documents.ingest(
                        p, collection, path.name, path.read_bytes(), marking=marking, originator=originator,
                        organisation=org, progress=advance,
                    )  # fmt: skip
                except GarrisonError as exc:
                    failed += 1
                    problems.append((str(path), exc.message))
                except OSError as exc:
                    failed += 1
                    problems.append((str(path), f"cannot read it: {exc.strerror or exc}"))
                else:
                    d = result.document
                    if result.created:
                        added += 1
                        chunks += d.chunks
                        console.print(
                            f"[green]added[/] {path}  {d.marking}  {d.chunks} chunks"
                            + (f", {d.pages} pages" if d.pages else ""),
                            highlight=False,
                            soft_wrap=True,
                        )
                    else:
                        skipped += 1
                        console.print(f"[dim]unchanged[/] {path} (already stored as {d.id})", soft_wrap=True)
                    for warning in result.warnings:
                        console.print(f"  [yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
                progress.remove_task(step)
                progress.advance(overall)
        for where, why in problems:
            err_console.print(f"[bold red]rejected[/] {where}: {why}", highlight=False, soft_wrap=True)
        console.print(
            f"\n{collection}: {added} added ({chunks} chunks), {skipped} unchanged, {failed} rejected", highlight=False
        )
        if failed:
            raise typer.Exit(1)

    @collections_app.command("list")
    def collections_list(organisation: Organisation = None, data_dir: DataDir = None) -> None:
        """Collections with their document and chunk counts."""
        with friendly_errors():
            services, org = open_for(data_dir, organisation)
            views = services.documents.collections(services.console, organisation=org)
        t = table("name", "id", "documents", "chunks", "created")
        for v in views:
            t.add_row(
                v.collection.name, v.collection.id, str(v.documents), str(v.chunks), when(v.collection.created_at)
            )
        console.print(t)

    @collections_app.command("create")
    def collections_create(
        name: str,
        description: Annotated[str, typer.Option(help="What the collection holds.")] = "",
        organisation: Organisation = None,
        data_dir: DataDir = None,
    ) -> None:
        with friendly_errors():
            services, org = open_for(data_dir, organisation)
            c = services.documents.create_collection(services.console, name, description, organisation=org)
        console.print(f"created collection [bold]{c.name}[/] ({c.id}) in {c.organisation}")

    @collections_app.command("delete")
    def collections_delete(
        name: str,
        yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
        organisation: Organisation = None,
        data_dir: DataDir = None,
    ) -> None:
        """Delete a collection with all its documents and chunks."""
        if not yes:
            typer.confirm(f"delete collection {name} and all its documents?", abort=True)
        with friendly_errors():
            services, org = open_for(data_dir, organisation)
            count = services.documents.delete_collection(services.console, name, organisation=org)
        console.print(f"deleted collection {name} ({count} documents)")

    @documents_app.command("list")
    def documents_list(
        collection: Annotated[str, typer.Option("--collection", "-c")],
        organisation: Organisation = None,
        data_dir: DataDir = None,
    ) -> None:
        with friendly_errors():
            services, org = open_for(data_dir, organisation)
            docs = services.documents.documents(services.console, collection, organisation=org)
        t = table("id", "title", "marking", "chunks")
        for d in docs:
            pages = f", {d.pages} pages" if d.pages else ""
            t.add_row(d.id, f"{d.title}\n[dim]{d.filename} ({d.format}{pages})[/]", str(d.marking), str(d.chunks))
        console.print(t)

    @documents_app.command("delete")
    def documents_delete(
        document_id: str,
        collection: Annotated[str, typer.Option("--collection", "-c")],
        organisation: Organisation = None,
        data_dir: DataDir = None,
    ) -> None:
        """Delete a document and its chunks (at once)."""
        with friendly_errors():
            services, org = open_for(data_dir, organisation)
            services.documents.delete_document(services.console, collection, document_id, organisation=org)
        console.print(f"deleted {document_id}")
