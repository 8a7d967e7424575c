"""The OpenAI-compatible HTTP API (FastAPI): translates wire <-> service calls, nothing more."""
