"""``garrison init | serve | models ... | keys ... | chat``."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn, Protocol

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Column, Table

from garrison.core.errors import GarrisonError
from garrison.service.container import Services

console = Console()
err_console = Console(stderr=True)


class Backend(Protocol):
    def open(self, data_dir: Path | None, *, create: bool = False) -> Services: ...

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


def _when(ts: float | None) -> str:
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


def _table(*names: str) -> Table:
    """A table whose cells fold instead of being cut: ids and hashes must stay whole."""
    columns = [Column(n, overflow="fold", no_wrap=n == "id", min_width=12 if n == "id" else None) for n in names]
    return Table(*columns, show_lines=True)


def make_cli(backend: Backend) -> typer.Typer:
    app = typer.Typer(
        name="garrison",
        help="Garrison: an air-gapped, OpenAI-compatible gateway for open-weight Llama models.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    models_app = typer.Typer(help="The model catalog: provenance, registration, verification.", no_args_is_help=True)
    keys_app = typer.Typer(help="API keys (stored hashed; shown once).", no_args_is_help=True)
    app.add_typer(models_app, name="models")
    app.add_typer(keys_app, name="keys")

    @app.callback()
    def _root() -> None:
        backend.install_guard()

    @app.command()
    def init(data_dir: DataDir = None) -> None:
        """Create the data directory and database, provision the embedded model, create the admin key."""
        with friendly_errors():
            services = backend.open(data_dir, create=True)
            with bytes_progress("provisioning embedded model") as prog:
                result = services.setup.init(lambda total, _done: prog(total))
        console.print(f"data directory: [bold]{result.data_dir}[/] (schema v{result.schema_version})", soft_wrap=True)
        console.print(
            f"model: [bold]{result.model.name}[/] sha256 {result.model.sha256} ({result.model.license})", soft_wrap=True
        )
        if result.admin_key:
            console.print("\n[bold yellow]Admin API key (shown once; only its hash is stored):[/]")
            console.print(result.admin_key, highlight=False, soft_wrap=True)
            console.print(
                f"It was also written, readable by you only, to [bold]{result.admin_key_file}[/]", soft_wrap=True
            )
        else:
            console.print(f"already initialised; the bootstrap admin key is in {result.admin_key_file}")

    @app.command()
    def serve(
        data_dir: DataDir = None,
        host: Annotated[str | None, typer.Option(help="Bind address (loopback by default).")] = None,
        port: Annotated[int | None, typer.Option(help="TCP port.")] = None,
        model: Annotated[
            list[str] | None, typer.Option("--model", "-m", help="Serve only these models (repeatable).")
        ] = None,
        parallel: Annotated[int | None, typer.Option(help="llama.cpp parallel slots.")] = None,
    ) -> None:
        """Start the OpenAI-compatible server."""
        with friendly_errors():
            backend.serve(
                data_dir=data_dir, host=host, port=port, serve_models=model or None, llamacpp_parallel=parallel
            )

    @models_app.command("list")
    def models_list(data_dir: DataDir = None) -> None:
        """Show every registered model with its provenance."""
        with friendly_errors():
            records = backend.open(data_dir).models.list()
        if not records:
            console.print("no models registered")
        for r in records:  # one block per model: hashes and origins are too long for a table
            console.print(f"[bold]{r.name}[/]" + (" (embedded default)" if r.builtin else ""), soft_wrap=True)
            rows = [
                ("engine", r.engine),
                ("architecture", r.architecture or "-"),
                ("context", str(r.context_length)),
                ("license", r.license),
                ("sha256" if r.sha256 else "url", r.sha256 or r.base_url or "-"),
                ("file", r.path or "-"),
                ("origin", r.origin),
                ("added", _when(r.added_at)),
            ]
            for label, value in rows:
                console.print(f"  {label:<13}{value}", highlight=False, soft_wrap=True, markup=False)

    @models_app.command("add")
    def models_add(
        path: Annotated[Path, typer.Argument(help="A GGUF model file.")],
        name: Annotated[str, typer.Option(help="Name clients use in 'model'.")],
        license: Annotated[str, typer.Option("--license", help="Licence (e.g. 'Llama 3.1 Community License').")],
        origin: Annotated[str, typer.Option(help="Where the file came from (vendor, media, ticket).")] = "",
        sha256: Annotated[str | None, typer.Option(help="Expected SHA-256 (refused if it differs).")] = None,
        context_length: Annotated[int | None, typer.Option(help="Override the file's context length.")] = None,
        chat_template: Annotated[str | None, typer.Option(help="llama.cpp template name, if not embedded.")] = None,
        in_place: Annotated[bool, typer.Option(help="Register the file where it is instead of copying it.")] = False,
        data_dir: DataDir = None,
    ) -> None:
        """Register a GGUF model: header checked, SHA-256 pinned, copied into the data directory."""
        with friendly_errors():
            services = backend.open(data_dir)
            with bytes_progress(f"hashing {path.name}") as prog:
                record = services.models.register_file(
                    path,
                    name=name,
                    license=license,
                    origin=origin,
                    copy=not in_place,
                    context_length=context_length,
                    chat_template=chat_template,
                    expected_sha256=sha256,
                    progress=prog,
                )
        console.print(f"registered [bold]{record.name}[/] ({record.architecture}, context {record.context_length})")
        console.print(f"sha256 {record.sha256}")

    @models_app.command("add-remote")
    def models_add_remote(
        name: Annotated[str, typer.Argument(help="Name clients use in 'model'.")],
        url: Annotated[str, typer.Option(help="Base URL of the OpenAI-compatible server, e.g. http://vllm:8000/v1.")],
        license: Annotated[str, typer.Option("--license", help="Licence of the model behind it.")],
        context_length: Annotated[int, typer.Option(help="Context length the server accepts.")],
        remote_model: Annotated[str | None, typer.Option(help="Model name on that server (default: NAME).")] = None,
        origin: Annotated[str, typer.Option(help="Provenance of the model behind it.")] = "",
        data_dir: DataDir = None,
    ) -> None:
        """Register a model served by an OpenAI-compatible server inside the enclave (vLLM, TGI...)."""
        with friendly_errors():
            services = backend.open(data_dir)
            record = services.models.register_remote(
                name=name,
                base_url=url,
                remote_model=remote_model or name,
                license=license,
                origin=origin,
                context_length=context_length,
                host_allowed=services.host_allowed,
            )
        console.print(f"registered remote model [bold]{record.name}[/] at {record.base_url}")

    @models_app.command("verify")
    def models_verify(data_dir: DataDir = None) -> None:
        """Re-hash every model file against its pinned SHA-256; exit 1 if any differs."""
        with friendly_errors():
            services = backend.open(data_dir)
            records = services.models.list()
            bad = 0
            with bytes_progress("verifying") as prog:
                for record in records:
                    result = services.models.verify(record, prog(record.size_bytes or 0))
                    mark = "[green]ok[/]" if result.ok else "[bold red]FAILED[/]"
                    console.print(f"{mark} {record.name}: {result.message}", highlight=False, soft_wrap=True)
                    bad += 0 if result.ok else 1
        if bad:
            fail(f"{bad} model(s) failed verification and will not be served")

    @models_app.command("remove")
    def models_remove(name: str, data_dir: DataDir = None) -> None:
        """Remove a model from the catalog (its file stays on disk)."""
        with friendly_errors():
            backend.open(data_dir).models.remove(name)
        console.print(f"removed {name}")

    @keys_app.command("create")
    def keys_create(
        name: Annotated[str, typer.Option(help="Who or what uses the key.")],
        role: Annotated[str, typer.Option(help="admin or user.")] = "user",
        expires_days: Annotated[float | None, typer.Option(help="Expire after this many days.")] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Create an API key; it is printed once and only its hash is stored."""
        with friendly_errors():
            created = backend.open(data_dir).keys.create(name, role, expires_days)
        err_console.print(f"key {created.id} for {created.name} ({created.role}), expires {_when(created.expires_at)}")
        console.print(created.key, highlight=False, soft_wrap=True)

    @keys_app.command("list")
    def keys_list(data_dir: DataDir = None) -> None:
        """List API keys (ids only, never secrets)."""
        with friendly_errors():
            rows = backend.open(data_dir).keys.list()
        table = _table("id", "name", "role", "created", "expires", "revoked", "last used")
        for r in rows:
            table.add_row(
                r.id,
                r.name,
                r.role,
                _when(r.created_at),
                _when(r.expires_at),
                _when(r.revoked_at),
                _when(r.last_used_at),
            )
        console.print(table)

    @keys_app.command("revoke")
    def keys_revoke(key_id: str, data_dir: DataDir = None) -> None:
        """Revoke a key; it is refused from the next request on."""
        with friendly_errors():
            backend.open(data_dir).keys.revoke(key_id)
        console.print(f"revoked {key_id}")

    @app.command()
    def chat(
        model: Annotated[str, typer.Option("--model", "-m", help="Model name.")] = "smollm2-135m-instruct",
        url: Annotated[str | None, typer.Option(help="Server base URL (default: the configured host/port).")] = None,
        api_key: Annotated[
            str | None, typer.Option(envvar="GARRISON_API_KEY", help="API key (default: the admin key file).")
        ] = None,
        system: Annotated[str | None, typer.Option(help="System prompt.")] = None,
        message: Annotated[str | None, typer.Option(help="Send one message, print the answer, exit.")] = None,
        max_tokens: Annotated[int, typer.Option(help="Most tokens per answer.")] = 512,
        data_dir: DataDir = None,
    ) -> None:
        """Interactive, streaming chat against a running server (/reset clears, /exit quits)."""
        from garrison.cli.chat import run_chat

        key = api_key
        if key is None:
            key_file = backend.data_dir(data_dir) / "admin.key"
            if not key_file.is_file():
                fail("no API key: pass --api-key, set GARRISON_API_KEY, or run `garrison init`")
            key = key_file.read_text().strip()
        run_chat(
            base_url=url or backend.server_url(),
            api_key=key,
            model=model,
            system=system,
            one_shot=message,
            max_tokens=max_tokens,
            console=console,
            fail=fail,
            interactive=sys.stdin.isatty(),
        )

    return app
