"""``garrison init | serve | models ... | chat``; organisations, people, keys and usage in cli/admin.py."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from garrison.cli import admin, audit, documents, privacy
from garrison.cli.common import (
    Backend,
    DataDir,
    bytes_progress,
    console,
    err_console,
    fail,
    friendly_errors,
    when,
)

Eligible = Annotated[
    list[str] | None,
    typer.Option(
        "--eligible",
        help="Who may use it (repeatable): a nation (FRA), a group (NATO, EU, FVEY), org:<id>, or everyone. "
        "Default: nobody until set with `garrison models eligibility`.",
    ),
]


def make_cli(backend: Backend) -> typer.Typer:
    app = typer.Typer(
        name="garrison",
        help="Garrison: an air-gapped, OpenAI-compatible gateway for open-weight Llama models.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    models_app = typer.Typer(help="The model catalog: provenance, registration, verification.", no_args_is_help=True)
    app.add_typer(models_app, name="models")

    @app.callback()
    def _root() -> None:
        backend.install_guard()

    @app.command()
    def init(
        data_dir: DataDir = None,
        organisation: Annotated[
            str, typer.Option(help="Id of the organisation that runs this deployment (first run only).")
        ] = "operator",
        nation: Annotated[
            str | None, typer.Option(help="Its nation (ISO 3166 alpha-3) or body (NATO, EU) (first run only).")
        ] = None,
    ) -> None:
        """Create the data directory, the database, the embedded model and the first admin key.

        The first run also creates the operator organisation and its administrator, user 'admin'."""
        with friendly_errors():
            services = backend.open(data_dir, create=True)
            with bytes_progress("provisioning embedded model") as prog:
                result = services.setup.init(lambda total, _done: prog(total), organisation=organisation, nation=nation)
        console.print(f"data directory: [bold]{result.data_dir}[/] (schema v{result.schema_version})", soft_wrap=True)
        console.print(
            f"model: [bold]{result.model.name}[/] sha256 {result.model.sha256} ({result.model.license})", soft_wrap=True
        )
        operator = result.operator
        console.print(f"operator organisation: [bold]{operator.id}[/] ({operator.nation or 'no nation set'})")
        pub = services.setup.audit_public_key
        if pub is not None and pub.exists():
            console.print(
                f"audit log signed by [bold]{pub.read_text(encoding='utf-8').strip()}[/] (give inspectors {pub})",
                soft_wrap=True,
                highlight=False,
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
    def demo(data_dir: DataDir = None) -> None:
        """Set up the demo: a NATO maintenance depot, people of five nations and clearances, and a
        marked maintenance corpus ingested for them (idempotent; `make run` does it)."""
        with friendly_errors():
            services = backend.open(data_dir)
            with Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err_console, transient=True
            ) as progress:
                tasks: dict[str, TaskID] = {}

                def step(name: str, done: int, total: int) -> None:
                    if name not in tasks:
                        tasks[name] = progress.add_task(f"embedding {name}", total=total)
                    progress.update(tasks[name], completed=done, total=total)

                result = services.demo.install(step)
        for name, ingested in result.ingested:
            d = ingested.document
            state = "added" if ingested.created else "present"
            console.print(f"{state:8} {name:32} {d.marking}  ({d.chunks} chunks)", highlight=False)
        console.print(f"\norganisation [bold]{result.organisation}[/], collection [bold]{result.collection}[/]")
        for p in result.people:
            key = p.key or "(key created earlier)"
            console.print(f"  {p.id:11} {p.nationality}  {p.clearance:13} {key}", highlight=False, soft_wrap=True)
        if result.keys_file is not None:
            console.print(f"the keys were also written, readable by you only, to [bold]{result.keys_file}[/]")

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
                ("use policy", r.use_policy or "-"),
                ("sha256" if r.sha256 else "url", r.sha256 or r.base_url or "-"),
                ("file", r.path or "-"),
                ("origin", r.origin),
                ("eligible", r.eligibility.describe()),
                ("added", when(r.added_at)),
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
        eligible: Eligible = None,
        use_policy: Annotated[
            str | None,
            typer.Option(
                help="The acceptable-use policy that comes with the licence (e.g. Meta's Llama AUP, by URL or title)."
            ),
        ] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Register a GGUF model: header checked, SHA-256 pinned, copied into the data directory."""
        with friendly_errors():
            services = backend.open(data_dir)
            with bytes_progress(f"hashing {path.name}") as prog:
                record = services.models.register_file(
                    services.console,
                    path,
                    name=name,
                    license=license,
                    origin=origin,
                    copy=not in_place,
                    context_length=context_length,
                    chat_template=chat_template,
                    expected_sha256=sha256,
                    progress=prog,
                    eligible=eligible or (),
                    use_policy=use_policy,
                )
        console.print(f"registered [bold]{record.name}[/] ({record.architecture}, context {record.context_length})")
        console.print(f"sha256 {record.sha256}")
        _eligibility_note(record.name, record.eligibility.describe())

    @models_app.command("add-remote")
    def models_add_remote(
        name: Annotated[str, typer.Argument(help="Name clients use in 'model'.")],
        url: Annotated[str, typer.Option(help="Base URL of the OpenAI-compatible server, e.g. http://vllm:8000/v1.")],
        license: Annotated[str, typer.Option("--license", help="Licence of the model behind it.")],
        context_length: Annotated[int, typer.Option(help="Context length the server accepts.")],
        remote_model: Annotated[str | None, typer.Option(help="Model name on that server (default: NAME).")] = None,
        origin: Annotated[str, typer.Option(help="Provenance of the model behind it.")] = "",
        eligible: Eligible = None,
        data_dir: DataDir = None,
    ) -> None:
        """Register a model served by an OpenAI-compatible server inside the enclave (vLLM, TGI...)."""
        with friendly_errors():
            services = backend.open(data_dir)
            record = services.models.register_remote(
                services.console,
                name=name,
                base_url=url,
                remote_model=remote_model or name,
                license=license,
                origin=origin,
                context_length=context_length,
                host_allowed=services.host_allowed,
                eligible=eligible or (),
            )
        console.print(f"registered remote model [bold]{record.name}[/] at {record.base_url}")
        _eligibility_note(record.name, record.eligibility.describe())

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
            services = backend.open(data_dir)
            services.models.remove(services.console, name)
        console.print(f"removed {name}")

    @models_app.command("eligibility")
    def models_eligibility(
        name: Annotated[str, typer.Argument(help="The model.")],
        to: Annotated[
            list[str] | None,
            typer.Option("--to", help="Release to (repeatable): a nation (FRA), a group (NATO, EU, FVEY), org:<id>."),
        ] = None,
        everyone: Annotated[bool, typer.Option(help="Release to every organisation.")] = False,
        nobody: Annotated[bool, typer.Option(help="Withdraw it from everyone.")] = False,
        data_dir: DataDir = None,
    ) -> None:
        """Show or set who may use a model; the change applies to the next request of a running server."""
        chosen = [bool(to), everyone, nobody]
        if sum(chosen) > 1:
            fail("give one of --to, --everyone or --nobody")
        with friendly_errors():
            services = backend.open(data_dir)
            if sum(chosen) == 0:
                record = services.models.get(name)
            else:
                words = ["everyone"] if everyone else ([] if nobody else list(to or []))
                record = services.models.set_eligibility(services.console, name, words)
        console.print(f"{record.name}: eligible to {record.eligibility.describe()}", highlight=False)

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

    admin.register(app, backend)
    documents.register(app, backend)
    audit.register(app, backend)
    privacy.register(app, backend)
    return app


def _eligibility_note(name: str, eligible: str) -> None:
    if eligible == "nobody":
        console.print(
            f"[yellow]nobody may use {name} yet:[/] release it with "
            f"`garrison models eligibility {name} --to NATO` (or a nation, org:<id>, --everyone)"
        )
    else:
        console.print(f"eligible: {eligible}")
