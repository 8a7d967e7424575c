"""Garrison: a sovereign, air-gapped AI gateway for open-weight Llama-family models."""

__version__ = "0.1.0"
