"""Secrets, the air-gap guard and (later) markings and policy."""
