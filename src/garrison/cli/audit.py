"""`garrison audit ...`: verify the log, read it, export it, prove records to an inspector.

`verify-proof` needs no data directory: an inspector runs it on their own machine with the file
they were given and the log's public key (`garrison audit public-key`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from garrison.cli.common import Backend, DataDir, console, fail, friendly_errors, when
from garrison.service.audit import RecordQuery, check_bundle

Since = Annotated[str | None, typer.Option(help="From this time: seconds since 1970 or ISO 8601 (UTC by default).")]
Until = Annotated[str | None, typer.Option(help="Before this time (same forms as --since).")]
Actor = Annotated[str | None, typer.Option(help="Records whose actor contains this (a key id, a user id).")]
ActionOpt = Annotated[
    str | None, typer.Option("--action", help="An action or operation (model.use, chat); 'user.' for a prefix.")
]
Decision = Annotated[str | None, typer.Option(help="allowed or refused.")]
Kind = Annotated[str | None, typer.Option(help="access, search, model.call, authentication or system.")]


def register(app: typer.Typer, backend: Backend) -> None:
    audit_app = typer.Typer(help="The tamper-evident audit log: verify, show, export, prove.", no_args_is_help=True)
    app.add_typer(audit_app, name="audit")

    def query(since: str | None, until: str | None, actor: str | None, action: str | None, decision: str | None,
              kind: str | None, limit: int | None) -> RecordQuery:  # fmt: skip
        return RecordQuery.parse(since, until, actor, action, decision, kind, 0, limit, flag="--")

    @audit_app.command()
    def verify(
        checkpoint: Annotated[
            list[Path] | None,
            typer.Option(help="A signed checkpoint you kept (repeatable): the log must still contain what it signs."),
        ] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Recompute every record, tree hash and checkpoint; report the first problem and where it is."""
        with friendly_errors():
            notes = [p.read_text(encoding="utf-8") for p in checkpoint or []]
            report = _call(backend, data_dir, "verify", notes)
        if report.ok:
            console.print(
                f"[green]ok[/]: {report.records} records and {report.checkpoints} signed checkpoints verify; "
                f"latest checkpoint covers {report.latest}"
                + (f" ({report.unsigned} newer records not yet signed)" if report.unsigned else ""),
                highlight=False,
            )
            return
        console.print(f"[bold red]FAILED[/]: {report.records} records read", highlight=False)
        for f in report.findings:
            console.print(f"  [red]{f.kind}[/]: {f.message}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)

    @audit_app.command()
    def show(
        since: Since = None,
        until: Until = None,
        actor: Actor = None,
        action: ActionOpt = None,
        decision: Decision = None,
        kind: Kind = None,
        limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many records.")] = 50,
        as_json: Annotated[bool, typer.Option("--json", help="The records as JSON lines.")] = False,
        data_dir: DataDir = None,
    ) -> None:
        """List records, oldest first."""
        with friendly_errors():
            rows = _call(backend, data_dir, "records", query(since, until, actor, action, decision, kind, limit))
        if as_json:
            for _, body in rows:
                sys.stdout.write(body + "\n")
            return
        table = Table("seq", "time (UTC)", "actor", "operation", "resource", "decision", "detail")
        for seq, body in rows:
            r = json.loads(body)
            verdict = "[green]allowed[/]" if r.get("allowed") else "[red]refused[/]"
            detail = r.get("outcome") or "; ".join(r.get("reasons", []))[:60]
            table.add_row(str(seq), when(r.get("at")), r.get("actor", ""), r.get("operation", ""),
                          r.get("resource", ""), verdict, detail)  # fmt: skip
        console.print(table)

    @audit_app.command()
    def export(
        since: Since = None,
        until: Until = None,
        actor: Actor = None,
        action: ActionOpt = None,
        decision: Decision = None,
        kind: Kind = None,
        fmt: Annotated[str, typer.Option("--format", help="jsonl (one record per line, exactly as hashed).")] = "jsonl",
        output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Export records for a SIEM: each line is the record exactly as stored (SHA-256 of 0x00 and
        the line is its Merkle leaf)."""
        if fmt != "jsonl":
            fail(f"unknown format {fmt!r}: the only format is jsonl")
        count = 0
        with friendly_errors():
            lines = _call(backend, data_dir, "export", query(since, until, actor, action, decision, kind, None))
            out = output.open("w", encoding="utf-8") if output else sys.stdout
            try:
                for line in lines:
                    out.write(line + "\n")
                    count += 1
            finally:
                if output:
                    out.close()
        if output:
            console.print(f"{count} records written to {output}")

    @audit_app.command()
    def proof(
        seq: Annotated[list[int], typer.Argument(help="Record numbers to prove.")],
        size: Annotated[
            int | None, typer.Option(help="Prove to the checkpoint of this size (default: the latest).")
        ] = None,
        output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Write an inclusion proof: the records, their audit paths and the signed checkpoint."""
        with friendly_errors():
            bundle = _call(backend, data_dir, "proof", seq, size)
        _write(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", output)

    @audit_app.command()
    def consistency(
        first: Annotated[int, typer.Argument(help="Size of the older checkpoint.")],
        second: Annotated[int | None, typer.Argument(help="Size of the newer one (default: latest).")] = None,
        output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Write a consistency proof: the newer checkpoint's log extends the older one's unchanged."""
        with friendly_errors():
            bundle = _call(backend, data_dir, "consistency", first, second)
        _write(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", output)

    @audit_app.command("verify-proof")
    def verify_proof(
        file: Annotated[Path, typer.Argument(help="A file from `audit proof` or `audit consistency`.")],
        key: Annotated[Path, typer.Option(help="The log's public key (from `audit public-key`), kept apart.")],
        checkpoint: Annotated[
            list[Path] | None,
            typer.Option(help="A checkpoint you trust (repeatable): one of the same size must agree."),
        ] = None,
    ) -> None:
        """Check a proof offline, with no access to the log."""
        try:
            trusted = [p.read_text(encoding="utf-8") for p in checkpoint or []]
            result = check_bundle(file.read_text(encoding="utf-8"), key.read_text(encoding="utf-8"), trusted)
        except OSError as exc:
            fail(f"{exc.strerror or exc}: {exc.filename}")
        except ValueError as exc:
            console.print(f"[bold red]FAILED[/]: {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        if result.kind == "inclusion":
            console.print(
                f"[green]ok[/]: records {', '.join(map(str, result.records))} are in the log of {result.size} records "
                "signed by the checkpoint",
                highlight=False,
            )
        else:
            assert result.sizes is not None
            console.print(
                f"[green]ok[/]: the log of {result.sizes[1]} records extends the log of {result.sizes[0]} unchanged",
                highlight=False,
            )

    @audit_app.command("public-key")
    def public_key(data_dir: DataDir = None) -> None:
        """Print the verifier key that inspectors check checkpoints with (Go note format)."""
        with friendly_errors():
            print(backend.audit(data_dir)[0].public_key())

    @audit_app.command()
    def checkpoint(data_dir: DataDir = None) -> None:
        """Print the latest signed checkpoint (give it to an inspector to keep)."""
        with friendly_errors():
            _, note = _call(backend, data_dir, "checkpoint")
        sys.stdout.write(note)


def _call(backend: Backend, data_dir: Path | None, method: str, *args: Any) -> Any:
    """A read of the audit service as this machine's console (the operator)."""
    service, me = backend.audit(data_dir)
    return getattr(service, method)(me, *args)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"written to {output}")
