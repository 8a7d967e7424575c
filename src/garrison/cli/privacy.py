"""``garrison privacy ...``: personal data from the local command line.

The console acts as the local operator (it belongs to no organisation): it reads and changes any
organisation's privacy policy, and detects, pseudonymises and re-identifies text through the same
service use-cases, policy checks and audit records as /v1/privacy. Its pseudonym tables are its own."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from garrison.cli.common import Backend, DataDir, console, err_console, fail, friendly_errors, table
from garrison.core.privacy import Operator
from garrison.service.privacy import policy_dict, spans_json

TextArg = Annotated[str | None, typer.Argument(help="The text (default: --file, else standard input).")]
File = Annotated[
    Path | None,
    typer.Option("--file", "-f", exists=True, dir_okay=False, readable=True, help="Read the text from this file."),
]
Language = Annotated[
    str | None, typer.Option(help="en, fr, it or de (default: chosen per block of text).", show_default=False)
]


def read_text(text: str | None, file: Path | None) -> str:
    """The text given: the argument, the file, or standard input when neither."""
    if text is not None and file is not None:
        fail("give the text or --file, not both")
    if text is not None:
        return text
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            fail(f"{file}: not UTF-8 text")
        except OSError as exc:
            fail(f"{file}: {exc.strerror or exc}")
    if sys.stdin.isatty():
        fail("no text: give it as an argument, with --file PATH, or on standard input")
    return sys.stdin.read()


def _write(text: str) -> None:
    """The text exactly as it is, for a pipe (no markup, no wrapping)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _split(value: str | None) -> list[str] | None:
    return None if value is None else [v.strip() for v in value.split(",") if v.strip()]


def _show(label: object) -> str:
    if isinstance(label, bool):
        return "yes" if label else "no"
    if isinstance(label, float):
        return f"{label:g}"
    if isinstance(label, list):
        return ", ".join(map(str, label)) or "-"
    return str(label)


def register(app: typer.Typer, backend: Backend) -> None:
    privacy_app = typer.Typer(
        help="Personal data: each organisation's privacy policy; detect, pseudonymise, re-identify text.",
        no_args_is_help=True,
    )
    app.add_typer(privacy_app, name="privacy")

    @privacy_app.command()
    def policy(
        org: Annotated[str, typer.Argument(metavar="ORG", help="The organisation's id.")],
        prompts: Annotated[
            bool | None, typer.Option("--prompts/--no-prompts", help="Pseudonymise what goes to a model.")
        ] = None,
        answers: Annotated[
            bool | None,
            typer.Option("--answers/--no-answers", help="Restore the pseudonyms in answers, for the roles allowed."),
        ] = None,
        documents: Annotated[
            bool | None, typer.Option("--documents/--no-documents", help="Pseudonymise documents at ingestion.")
        ] = None,
        audit_text: Annotated[
            bool | None,
            typer.Option(
                "--audit-text/--no-audit-text",
                help="Keep the pseudonymised prompt and answer in the model call's audit record.",
            ),
        ] = None,
        threshold: Annotated[
            float | None, typer.Option(help="The lowest score that counts as a detection (0 to 1).")
        ] = None,
        entities: Annotated[
            str | None, typer.Option(help="What is looked for, replacing the list, e.g. 'PERSON,IBAN_CODE'.")
        ] = None,
        reidentify_roles: Annotated[
            str | None, typer.Option(help="Roles that may re-identify, e.g. 'analyst,security_officer'.")
        ] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Show an organisation's privacy policy; with options, change those fields (the others stay)."""
        given: dict[str, object | None] = {
            "prompts": prompts,
            "answers": answers,
            "documents": documents,
            "audit_text": audit_text,
            "threshold": threshold,
            "entities": _split(entities),
            "reidentify_roles": _split(reidentify_roles),
        }
        changes = {k: v for k, v in given.items() if v is not None}
        with friendly_errors():
            s = backend.open(data_dir)
            s.identity.organisation(s.console, org)  # an id that does not exist is an error, not a new policy
            found = s.privacy.set_policy(s.console, org, changes) if changes else s.privacy.get_policy(s.console, org)
        console.print(f"[bold]{org}[/]" + (" (updated)" if changes else ""), soft_wrap=True, highlight=False)
        for label, value in policy_dict(found).items():
            console.print(f"  {label:<18}{_show(value)}", highlight=False, soft_wrap=True, markup=False)

    @privacy_app.command()
    def analyze(
        text: TextArg = None,
        file: File = None,
        language: Language = None,
        as_json: Annotated[bool, typer.Option("--json", help="The findings as JSON (offsets, no values).")] = False,
        data_dir: DataDir = None,
    ) -> None:
        """Find the personal data in a text: type, value, score and the recogniser that found it."""
        body = read_text(text, file)
        with friendly_errors():
            s = backend.open(data_dir)
            found = s.privacy.analyze(s.console, body, language=language)
        if as_json:
            out = {"languages": list(found.languages), "entities": spans_json(found.spans)}
            sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
            return
        t = table("type", "text", "score", "recognizer")
        for span in found.spans:
            t.add_row(span.entity, Text(body[span.start : span.end]), f"{span.score:.2f}", span.recognizer)
        console.print(t)
        languages = ", ".join(found.languages) or "-"
        err_console.print(f"{len(found.spans)} found; language: {languages}", highlight=False)

    @privacy_app.command()
    def pseudonymize(
        text: TextArg = None,
        file: File = None,
        operator: Annotated[
            Operator,
            typer.Option(help="pseudonymize (PERSON_1, reversible), mask, redact (the type only) or hash (keyed)."),
        ] = Operator.PSEUDONYMIZE,
        pseudonyms: Annotated[
            str | None,
            typer.Option(metavar="ID", help="An earlier table's id: the same values keep their placeholders."),
        ] = None,
        language: Language = None,
        data_dir: DataDir = None,
    ) -> None:
        """Replace the personal data in a text; prints the text, and the pseudonym table's id on stderr."""
        body = read_text(text, file)
        with friendly_errors():
            s = backend.open(data_dir)
            done = s.privacy.pseudonymize(s.console, body, operator=operator, pseudonyms=pseudonyms, language=language)
        _write(done.text)
        if done.pseudonyms is not None:
            err_console.print(f"pseudonyms: {done.pseudonyms}", highlight=False, soft_wrap=True)

    @privacy_app.command()
    def reidentify(
        pseudonyms: Annotated[
            str, typer.Option(metavar="ID", help="The pseudonym table's id (from `garrison privacy pseudonymize`).")
        ],
        text: TextArg = None,
        file: File = None,
        data_dir: DataDir = None,
    ) -> None:
        """Restore the placeholders of a pseudonymised text from its pseudonym table."""
        body = read_text(text, file)
        with friendly_errors():
            s = backend.open(data_dir)
            restored, count = s.privacy.reidentify(s.console, body, pseudonyms)
        _write(restored)
        err_console.print(f"{count} placeholder(s) restored", highlight=False)
