"""The terminal chat client: streams from a running Garrison server with the openai client."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NoReturn

from rich.console import Console


def run_chat(
    *,
    base_url: str,
    api_key: str,
    model: str,
    system: str | None,
    one_shot: str | None,
    max_tokens: int,
    console: Console,
    fail: Callable[[str], NoReturn],
    interactive: bool,
) -> None:
    import openai

    client = openai.OpenAI(base_url=base_url, api_key=api_key, max_retries=0, timeout=600)
    history: list[dict[str, Any]] = [{"role": "system", "content": system}] if system else []

    def ask(text: str) -> None:
        history.append({"role": "user", "content": text})
        answer = []
        try:
            completions: Any = client.chat.completions
            stream = completions.create(model=model, messages=history, stream=True, max_tokens=max_tokens)
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    piece = chunk.choices[0].delta.content
                    answer.append(piece)
                    console.print(piece, end="", markup=False, highlight=False, soft_wrap=True)
        except openai.APIConnectionError:
            history.pop()
            fail(f"cannot reach the server at {base_url}: is `garrison serve` running?")
        except openai.APIStatusError as exc:
            history.pop()
            body: Any = exc.body
            detail = body.get("message") if isinstance(body, dict) else str(exc)
            fail(f"the server refused the request ({exc.status_code}): {detail}")
        console.print()
        history.append({"role": "assistant", "content": "".join(answer)})

    if one_shot is not None:
        ask(one_shot)
        return
    if interactive:
        console.print(f"[dim]chatting with {model} at {base_url}; /reset clears, /exit quits[/]")
    for line in _lines(interactive, console):
        text = line.strip()
        if not text:
            continue
        if text in ("/exit", "/quit"):
            break
        if text == "/reset":
            del history[1 if system else 0 :]
            console.print("[dim]conversation cleared[/]")
            continue
        ask(text)


def _lines(interactive: bool, console: Console) -> Any:
    while True:
        try:
            line = console.input("[bold cyan]> [/]") if interactive else sys.stdin.readline()
        except (EOFError, KeyboardInterrupt):
            return
        if not interactive and line == "":
            return
        yield line
