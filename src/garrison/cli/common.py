"""What every command shares: the backend contract, consoles, errors, tables, progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn, Protocol

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Column, Table

from garrison.core.errors import GarrisonError
from garrison.core.types import Principal
from garrison.service.audit import AuditService
from garrison.service.container import Services

console = Console()
err_console = Console(stderr=True)


class Backend(Protocol):
    def open(self, data_dir: Path | None, *, create: bool = False) -> Services: ...

    def audit(self, data_dir: Path | None) -> tuple[AuditService, Principal]: ...

    def serve(self, **overrides: object) -> None: ...

    def install_guard(self) -> None: ...

    def data_dir(self, data_dir: Path | None = None) -> Path: ...

    def server_url(self) -> str: ...


DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", "-d", help="Data directory (default: $GARRISON_DATA_DIR or var/garrison)."),
]


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def friendly_errors() -> Iterator[None]:
    try:
        yield
    except GarrisonError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(f"{exc.strerror or exc} ({exc.filename or 'I/O'}); nothing was changed")


def when(ts: float | None) -> str:
    return "-" if ts is None else dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M")


@contextmanager
def bytes_progress(label: str) -> Iterator[Callable[[int], Callable[[int], None]]]:
    """Yields a factory: given a total size, returns the per-block advance callback."""
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as progress:

        def start(total: int) -> Callable[[int], None]:
            task = progress.add_task(label, total=total)
            return lambda n: progress.advance(task, n)

        yield start


def table(*names: str) -> Table:
    """A table whose cells fold instead of being cut: ids and hashes must stay whole."""
    columns = [Column(n, overflow="fold", no_wrap=n == "id", min_width=12 if n == "id" else None) for n in names]
    return Table(*columns, show_lines=True)
