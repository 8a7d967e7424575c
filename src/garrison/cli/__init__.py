"""The ``garrison`` command line (Typer + Rich)."""
