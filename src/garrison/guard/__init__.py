"""Guardrails: acceptable-use categories and prompt-injection defence, on prompts, answers and
documents."""
