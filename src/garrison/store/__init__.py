"""Persistence: one SQLite file, versioned migrations, small repositories."""
