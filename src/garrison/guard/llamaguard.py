"""Llama Guard 3 as a classifier: its prompt, and its answer parsed exactly.

When a Llama Guard model is registered in the catalog and named by ``GARRISON_GUARD_MODEL``, the
gateway runs it on the same engine as a second model: the conversation goes into the task prompt
of Meta's model card (categories S1-S14 with their names, then the conversation, then the
instruction to answer ``safe`` or ``unsafe`` and the violated categories), and the answer must be
exactly ``safe``, or ``unsafe`` followed by a line of comma-separated categories. Anything else is
an error (the built-in guard's verdict stands, and the failure is recorded), never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from garrison.core.guard import HAZARDS, GuardAction, Verdict
from garrison.core.types import Message

_ANSWER = re.compile(r"^\s*(safe|unsafe)\s*(?:\n\s*(S\d{1,2}(?:\s*,\s*S\d{1,2})*)\s*)?$")


class LlamaGuardError(ValueError):
    """The model's answer is not in Llama Guard's format."""


def prompt(messages: Sequence[Message], role: str = "User") -> str:
    """The task prompt of the Llama Guard 3 model card, for the last ``role`` turn."""
    categories = "\n".join(f"{code}: {name}." for code, name in HAZARDS.items())
    turns = "\n\n".join(
        f"{'Agent' if m.role == 'assistant' else 'User'}: {m.content}"
        for m in messages
        if m.role in ("user", "assistant")
    )
    return (
        f"Task: Check if there is unsafe content in '{role}' messages in conversations according our safety policy "
        "with the below categories.\n\n"
        f"<BEGIN UNSAFE CONTENT CATEGORIES>\n{categories}\n<END UNSAFE CONTENT CATEGORIES>\n\n"
        f"<BEGIN CONVERSATION>\n\n{turns}\n\n<END CONVERSATION>\n\n"
        f"Provide your safety assessment for ONLY THE LAST {role} message in the above conversation:\n"
        " - First line must read 'safe' or 'unsafe'.\n"
        " - If unsafe, a second line must include a comma-separated list of violated categories."
    )


def parse(answer: str, model: str) -> Verdict:
    """``safe`` -> allow; ``unsafe\\nS1,S10`` -> a block of the first category (all listed)."""
    m = _ANSWER.match(answer)
    if m is None:
        raise LlamaGuardError(f"not a Llama Guard answer: {answer[:80]!r}")
    guard = f"llama-guard:{model}"
    if m.group(1) == "safe":
        if m.group(2):
            raise LlamaGuardError(f"'safe' with categories: {answer[:80]!r}")
        return Verdict(GuardAction.ALLOW, None, (), 0.0, guard)
    codes = [c.strip() for c in (m.group(2) or "").split(",") if c.strip()]
    unknown = [c for c in codes if c not in HAZARDS]
    if not codes or unknown:
        raise LlamaGuardError(f"'unsafe' without known categories: {answer[:80]!r}")
    reasons = tuple(f"{c}: {HAZARDS[c]}" for c in codes)
    return Verdict(GuardAction.BLOCK, codes[0], reasons, 1.0, guard)
